# Without POP3_CONN_TLS_AVAILABLE there is no STLS tag and the command is
# "-ERR STLS not available", a bad command.  RFC 2595 s4, docs/replies.md
# "AUTHORIZATION".
config max_bad_commands_auth=2
conn protected
S: +OK POP3 server ready
C: CAPA
S: +OK capability list follows
S: TOP
S: UIDL
S: USER
S: SASL PLAIN LOGIN
S: RESP-CODES
S: AUTH-RESP-CODE
S: PIPELINING
S: .
C: STLS
S: -ERR STLS not available
C: STLS
S: -ERR too many bad commands, closing
expect closed
expect limit BAD_COMMANDS
