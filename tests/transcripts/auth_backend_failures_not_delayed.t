# Only failed authentications ([AUTH] lines) are delayed: a backend
# TEMPFAIL and a maildrop that cannot be opened are answered at once.
# docs/replies.md "AUTHORIZATION".
config auth_fail_delay_ms=5000
conn protected
user alice secret=wonderland
msg alice uid=msg-one "From: ann@example.org\r\nSubject: one\r\n\r\nfirst body\r\n"
msg alice uid=msg-two "From: bob@example.org\r\nSubject: two\r\n\r\nsecond\r\nbody\r\n"
msg alice uid=msg-three "Subject: three\n\nbare LF body\n"
fail auth TEMPFAIL times=1
fail open IN_USE times=1
S: +OK POP3 server ready
C: USER alice
S: +OK send PASS
C: PASS wonderland
S: -ERR [SYS/TEMP] authentication temporarily unavailable
C: USER alice
S: +OK send PASS
C: PASS wonderland
S: -ERR [IN-USE] maildrop is locked by another session
C: USER alice
S: +OK send PASS
C: PASS wonderland
S: +OK maildrop has 3 messages (136 octets)
