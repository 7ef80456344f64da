# The client cancels an exchange by answering a challenge with "*":
# "-ERR authentication cancelled".  Not a failed login (no delay, not
# counted: max_auth_failures=1 would close) and not a bad command
# (max_bad_commands_auth=1 would close).  RFC 5034 s4, docs/replies.md
# "AUTH".
config max_auth_failures=1 max_bad_commands_auth=1 auth_fail_delay_ms=5000
conn protected
user tim secret=tanstaaftanstaaf
S: +OK POP3 server ready
C: AUTH LOGIN
S: + VXNlcm5hbWU6
C: dGlt
S: + UGFzc3dvcmQ6
C: *
S: -ERR authentication cancelled
expect auth-calls 0
expect user none
C: AUTH PLAIN
S: + 
C: *
S: -ERR authentication cancelled
C: AUTH PLAIN AHRpbQB0YW5zdGFhZnRhbnN0YWFm
S: +OK maildrop has 0 messages (0 octets)
