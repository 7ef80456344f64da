# An initial response "=" means an empty one (RFC 5034 s4): for PLAIN an
# empty message is malformed, a failed authentication.  The host is never
# asked.  docs/replies.md "AUTH".
conn protected
user tim secret=tanstaaftanstaaf
S: +OK POP3 server ready
C: AUTH PLAIN =
S: -ERR [AUTH] authentication failed
expect auth-calls 0
expect state AUTHORIZATION
