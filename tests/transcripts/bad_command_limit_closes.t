# The third bad command in AUTHORIZATION (default limit 3) is answered
# "-ERR too many bad commands, closing" instead of its own reply, and the
# session closes; the QUIT pipelined behind it is never executed.
# docs/replies.md "Errors common to every state", POP3-BEHAVIOUR.md.
conn protected
S: +OK POP3 server ready
C: XXXX
S: -ERR unknown command
C: YYYY
S: -ERR unknown command
C: ZZZZ
C: QUIT
S: -ERR too many bad commands, closing
expect closed
expect limit BAD_COMMANDS
expect close-reason LIMIT
