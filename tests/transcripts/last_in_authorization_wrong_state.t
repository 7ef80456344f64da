# With LAST enabled, LAST in AUTHORIZATION is a command in the wrong state.
# RFC 1460, docs/replies.md.
config flags=ENABLE_LAST
conn protected
S: +OK POP3 server ready
C: LAST
S: -ERR command not valid in this state
