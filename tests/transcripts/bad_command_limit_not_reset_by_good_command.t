# Bad commands are counted over the whole state, not consecutively: valid
# commands in between do not reset the count.  pop3.h
# max_bad_commands_auth ("tolerated before the session is closed").
conn protected
config flags=NO_PIPELINING,NO_RESP_CODES
S: +OK POP3 server ready
C: XXXX
S: -ERR unknown command
C: CAPA
S: +OK capability list follows
S: TOP
S: UIDL
S: USER
S: SASL PLAIN LOGIN
S: .
C: XXXX
S: -ERR unknown command
C: CAPA
S: +OK capability list follows
S: TOP
S: UIDL
S: USER
S: SASL PLAIN LOGIN
S: .
C: XXXX
S: -ERR too many bad commands, closing
expect closed
