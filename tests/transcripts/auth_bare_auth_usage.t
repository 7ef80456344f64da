# A bare AUTH (no mechanism) is a usage error by default: "-ERR usage: AUTH
# mechanism [initial-response]", a bad command; so is AUTH with too many
# arguments.  docs/replies.md "AUTH" and "Errors common to every state".
config max_bad_commands_auth=2
conn protected
S: +OK POP3 server ready
C: AUTH
S: -ERR usage: AUTH mechanism [initial-response]
C: AUTH PLAIN abcd efgh
S: -ERR too many bad commands, closing
expect closed
