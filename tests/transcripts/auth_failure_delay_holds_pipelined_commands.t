# Commands pipelined behind a delayed failure wait for it: replies stay in
# order, and nothing is answered before the delay ends.  POP3-BEHAVIOUR.md
# "Pipelining", "Security".
config auth_fail_delay_ms=2000
conn protected
user alice secret=wonderland
msg alice uid=msg-one "From: ann@example.org\r\nSubject: one\r\n\r\nfirst body\r\n"
msg alice uid=msg-two "From: bob@example.org\r\nSubject: two\r\n\r\nsecond\r\nbody\r\n"
msg alice uid=msg-three "Subject: three\n\nbare LF body\n"
S: +OK POP3 server ready
C: USER alice
S: +OK send PASS
C: PASS wrong-password
C: USER alice
C: PASS wonderland
C: STAT
T: 2000
S: -ERR [AUTH] authentication failed
S: +OK send PASS
S: +OK maildrop has 3 messages (136 octets)
S: +OK 3 136
