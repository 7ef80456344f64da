# A CR not followed by LF is a control byte inside the line, not a line end:
# the line is rejected as a whole.  RFC 1939 s3 (commands end with CRLF),
# POP3-BEHAVIOUR.md "Command syntax".
conn protected
user alice secret=wonderland
msg alice uid=msg-one "From: ann@example.org\r\nSubject: one\r\n\r\nfirst body\r\n"
msg alice uid=msg-two "From: bob@example.org\r\nSubject: two\r\n\r\nsecond\r\nbody\r\n"
msg alice uid=msg-three "Subject: three\n\nbare LF body\n"
S: +OK POP3 server ready
C: USER alice
S: +OK send PASS
C: PASS wonderland
S: +OK maildrop has 3 messages (136 octets)
C= "DELE 1\rNOOP\r\n"
S: -ERR invalid character in command
C: STAT
S: +OK 3 136
