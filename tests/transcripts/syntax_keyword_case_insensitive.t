# Keywords are case-insensitive.  RFC 1939 s3.
conn protected
user alice secret=wonderland
msg alice uid=msg-one "From: ann@example.org\r\nSubject: one\r\n\r\nfirst body\r\n"
msg alice uid=msg-two "From: bob@example.org\r\nSubject: two\r\n\r\nsecond\r\nbody\r\n"
msg alice uid=msg-three "Subject: three\n\nbare LF body\n"
S: +OK POP3 server ready
C: user alice
S: +OK send PASS
C: pAsS wonderland
S: +OK maildrop has 3 messages (136 octets)
C: stat
S: +OK 3 136
C: LiSt 2
S: +OK 2 53
C: top 1 0
S: +OK top of message follows
S: From: ann@example.org
S: Subject: one
S:
S: .
C: quit
S: +OK bye, 0 messages deleted
expect closed
