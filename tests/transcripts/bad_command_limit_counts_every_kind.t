# Unknown commands, commands in the wrong state and usage errors all count
# toward the same bad-command limit.  POP3-BEHAVIOUR.md "Command syntax".
conn protected
S: +OK POP3 server ready
C: XYZZY
S: -ERR unknown command
C: STAT
S: -ERR command not valid in this state
C: USER
S: -ERR too many bad commands, closing
expect closed
