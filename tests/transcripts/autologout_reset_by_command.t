# Every complete command line restarts the idle timer.  POP3-BEHAVIOUR.md
# "Security" (autologout), RFC 1939 s3.
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
T: 300000
C: NOOP
S: +OK noop
expect deadline 900000
T: 600000
expect open
T: 899999
C: NOOP
S: +OK noop
T: 1499998
expect open
T: 1499999
expect closed
