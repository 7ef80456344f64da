# The credential backend fails permanently: "-ERR [SYS/PERM] authentication
# unavailable".  docs/replies.md "AUTHORIZATION", RFC 3206.
config max_auth_failures=1
conn protected
user alice secret=wonderland
msg alice uid=msg-one "From: ann@example.org\r\nSubject: one\r\n\r\nfirst body\r\n"
msg alice uid=msg-two "From: bob@example.org\r\nSubject: two\r\n\r\nsecond\r\nbody\r\n"
msg alice uid=msg-three "Subject: three\n\nbare LF body\n"
fail auth PERMFAIL
S: +OK POP3 server ready
C: USER alice
S: +OK send PASS
C: PASS wonderland
S: -ERR [SYS/PERM] authentication unavailable
expect state AUTHORIZATION
expect open
