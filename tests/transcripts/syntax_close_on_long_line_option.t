# POP3_CFG_CLOSE_ON_LONG_LINE: the "-ERR line too long" is followed by
# closing, without UPDATE.  pop3.h, POP3-BEHAVIOUR.md "Command syntax".
config flags=CLOSE_ON_LONG_LINE
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
C: DELE 1
S: +OK message 1 deleted
C= "NOOP " "z"*300 "\r\n"
C: NOOP
S: -ERR line too long
expect closed
expect no-commit
expect maildrop-close uncommitted
expect close-reason LIMIT
