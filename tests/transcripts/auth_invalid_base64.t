# An initial response or a challenge response that is not strict base64
# is "-ERR invalid base64", a bad command (the exchange ends; the host is
# never asked).  RFC 5034 s4 ("If the client's response is not valid
# base64 ... the server MUST reject"), docs/replies.md "AUTH".
config max_bad_commands_auth=3
conn protected
user tim secret=tanstaaftanstaaf
S: +OK POP3 server ready
C: AUTH PLAIN AHRpbQB0YW5zdGFhZnRhbnN0YWF
S: -ERR invalid base64
C: AUTH LOGIN
S: + VXNlcm5hbWU6
C: dGlt!
S: -ERR invalid base64
expect auth-calls 0
expect open
C: AUTH PLAIN A=B=
S: -ERR too many bad commands, closing
expect closed
expect limit BAD_COMMANDS
