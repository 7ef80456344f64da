# A host-driven mechanism (POP3_SASL_HOST, host_mechs): the library frames,
# base64-codes and sequences the exchange, the host's sasl_step computes.
# The mock's toy mechanism X-TWICE: the client sends a name, the server
# challenges "again?", the client repeats the name, logged in.  Without an
# initial response the first challenge is the host's empty one.  It is
# offered on an unprotected channel (the library cannot tell what it
# carries).  pop3.h pop3_sasl_request, docs/security.md "Wiring".
config sasl_mechs=HOST host_mechs=X-TWICE
user alice
S: +OK POP3 server ready
C: CAPA
S: +OK capability list follows
S: TOP
S: UIDL
S: SASL X-TWICE
S: RESP-CODES
S: AUTH-RESP-CODE
S: PIPELINING
S: .
C: AUTH x-twice
S: + 
C: YWxpY2U=
S: + YWdhaW4/
C: YWxpY2U=
S: +OK maildrop has 0 messages (0 octets)
expect user alice
expect sasl-steps 3
expect auth-calls 0
