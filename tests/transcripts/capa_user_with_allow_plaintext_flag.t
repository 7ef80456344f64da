# POP3_CFG_ALLOW_PLAINTEXT makes plaintext login allowed, so USER is
# advertised.  docs/replies.md "CAPA".
config flags=ALLOW_PLAINTEXT
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
