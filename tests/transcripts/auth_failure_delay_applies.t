# A failed SASL exchange is answered only after auth_fail_delay_ms of the
# host's clock, like a failed PASS; commands pipelined behind it wait too.
# A malformed mechanism message (PLAIN without a password) is a failed
# login as well.  docs/replies.md "AUTH", docs/security.md "Brute force".
config auth_fail_delay_ms=2000
conn protected now=1000
user tim secret=tanstaaftanstaaf
S: +OK POP3 server ready
C: AUTH LOGIN dGlt
S: + UGFzc3dvcmQ6
C: d3JvbmctcGFzc3dvcmQtMg==
C: NOOP
expect deadline 3000
T: 2999
T: 3000
S: -ERR [AUTH] authentication failed
S: -ERR command not valid in this state
C: AUTH PLAIN AHRpbQA=
T: 4999
expect open
T: 5000
S: -ERR [AUTH] authentication failed
expect state AUTHORIZATION
