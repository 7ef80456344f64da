# The failure that reaches the limit is delayed too, then closes.
# docs/replies.md "AUTHORIZATION" ("[AUTH] lines are delayed").
config auth_fail_delay_ms=1000 max_auth_failures=1
conn protected
user alice secret=wonderland
msg alice uid=msg-one "From: ann@example.org\r\nSubject: one\r\n\r\nfirst body\r\n"
msg alice uid=msg-two "From: bob@example.org\r\nSubject: two\r\n\r\nsecond\r\nbody\r\n"
msg alice uid=msg-three "Subject: three\n\nbare LF body\n"
S: +OK POP3 server ready
C: USER alice
S: +OK send PASS
C: PASS wrong-password
T: 999
expect open
T: 1000
S: -ERR [AUTH] authentication failed, closing
expect closed
