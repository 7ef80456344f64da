# A keyword is 3 or 4 characters; a 1- or 2-character word is an unknown
# command, even a prefix of a real one.  RFC 1939 s3.
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
C: TO 1 1
S: -ERR unknown command
C: X
S: -ERR unknown command
C: TOP 1 0
S: +OK top of message follows
S: From: ann@example.org
S: Subject: one
S:
S: .
