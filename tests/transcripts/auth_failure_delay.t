# A failed authentication is answered only after auth_fail_delay_ms of the
# host's clock (no sleeping: the reply is released by a tick).
# POP3-BEHAVIOUR.md "Security", pop3.h pop3_config.auth_fail_delay_ms.
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
expect open
expect deadline 2000
T: 1999
expect open
T: 2000
S: -ERR [AUTH] authentication failed
expect state AUTHORIZATION
