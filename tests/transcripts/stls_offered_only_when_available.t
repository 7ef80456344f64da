# STLS is offered (CAPA "STLS") and accepted only in AUTHORIZATION while the
# host says TLS is available and not yet active.  RFC 2595 s4,
# POP3-BEHAVIOUR.md "STLS", docs/replies.md "CAPA" and "AUTHORIZATION".
# The channel is not protected yet: no USER, no SASL PLAIN/LOGIN.
conn tls-available
S: +OK POP3 server ready
C: CAPA
S: +OK capability list follows
S: TOP
S: UIDL
S: RESP-CODES
S: AUTH-RESP-CODE
S: PIPELINING
S: STLS
S: .
C: STLS
S: +OK begin TLS negotiation
TLS: ok
expect state AUTHORIZATION
expect open
