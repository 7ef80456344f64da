# An overlong line is never split into two commands (Cyrus and Mailutils
# do) and never echoed: it is discarded to its end and answered "-ERR line
# too long" once.  If it were cut at 255 octets, its tail "QUIT" would run.
# POP3-BEHAVIOUR.md "Command syntax", RFC 2449 s4.
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
C= "NOOP " "x"*250 "QUIT\r\n"
S: -ERR line too long
C: NOOP
S: +OK noop
expect state TRANSACTION
expect no-commit
expect limit LINE_LENGTH
