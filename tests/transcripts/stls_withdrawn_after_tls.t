# Once TLS is active STLS is no longer advertised, and a second STLS is
# "-ERR TLS already active" (a bad command).  RFC 2595 s4, docs/replies.md
# "CAPA" and "AUTHORIZATION".
conn tls-available
S: +OK POP3 server ready
C: STLS
S: +OK begin TLS negotiation
TLS: ok
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
S: -ERR TLS already active
expect open
