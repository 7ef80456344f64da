# POP3_CFG_NO_RESP_CODES: neither RESP-CODES nor AUTH-RESP-CODE is
# advertised.  docs/replies.md "CAPA".
config flags=NO_RESP_CODES
conn protected
S: +OK POP3 server ready
C: CAPA
S: +OK capability list follows
S: TOP
S: UIDL
S: USER
S: SASL PLAIN LOGIN
S: PIPELINING
S: .
