# Autologout in TRANSACTION: after 10 minutes without a command the session
# closes WITHOUT a reply (RFC 1939 s3), without UPDATE (the DELE is not
# applied), the maildrop closed uncommitted.
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
expect deadline 600000
T: 599999
expect open
T: 600000
expect closed
expect no-commit
expect maildrop-close uncommitted
expect close-reason TIMEOUT
expect limit IDLE_TIMEOUT
