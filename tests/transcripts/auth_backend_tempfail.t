# The credential backend fails temporarily: "-ERR [SYS/TEMP] authentication
# temporarily unavailable", not counted as a failed login.  docs/replies.md
# "AUTHORIZATION", RFC 3206.
config max_auth_failures=1
conn protected
user alice secret=wonderland
msg alice uid=msg-one "From: ann@example.org\r\nSubject: one\r\n\r\nfirst body\r\n"
msg alice uid=msg-two "From: bob@example.org\r\nSubject: two\r\n\r\nsecond\r\nbody\r\n"
msg alice uid=msg-three "Subject: three\n\nbare LF body\n"
fail auth TEMPFAIL times=1
S: +OK POP3 server ready
C: USER alice
S: +OK send PASS
C: PASS wonderland
S: -ERR [SYS/TEMP] authentication temporarily unavailable
expect state AUTHORIZATION
C: USER alice
S: +OK send PASS
C: PASS wonderland
S: +OK maildrop has 3 messages (136 octets)
