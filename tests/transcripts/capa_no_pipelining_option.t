# POP3_CFG_NO_PIPELINING: PIPELINING is not advertised (commands are still
# answered in order).  docs/replies.md "CAPA".
config flags=NO_PIPELINING
conn protected
S: +OK POP3 server ready
C: CAPA
C: CAPA
S: +OK capability list follows
S: TOP
S: UIDL
S: USER
S: SASL PLAIN LOGIN
S: RESP-CODES
S: AUTH-RESP-CODE
S: .
S: +OK capability list follows
S: TOP
S: UIDL
S: USER
S: SASL PLAIN LOGIN
S: RESP-CODES
S: AUTH-RESP-CODE
S: .
