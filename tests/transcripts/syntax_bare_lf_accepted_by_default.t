# By default a bare LF ends a line as CRLF does (every deployed server
# accepts it).  POP3-BEHAVIOUR.md "Command syntax", pop3.h
# POP3_CFG_STRICT_CRLF.
conn protected
user alice secret=wonderland
msg alice uid=msg-one "From: ann@example.org\r\nSubject: one\r\n\r\nfirst body\r\n"
msg alice uid=msg-two "From: bob@example.org\r\nSubject: two\r\n\r\nsecond\r\nbody\r\n"
msg alice uid=msg-three "Subject: three\n\nbare LF body\n"
S: +OK POP3 server ready
C= "USER alice\n"
S: +OK send PASS
C= "PASS wonderland\n"
S: +OK maildrop has 3 messages (136 octets)
C= "STAT\n"
S: +OK 3 136
C= "QUIT\n"
S: +OK bye, 0 messages deleted
expect closed
