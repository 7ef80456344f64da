# On a TLS channel (implicit TLS, RFC 8314) USER/PASS are accepted and USER
# is advertised; no STLS is offered.  POP3-BEHAVIOUR.md "Security".
conn tls
user alice secret=wonderland
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
C: USER alice
S: +OK send PASS
C: PASS wonderland
S: +OK maildrop has 0 messages (0 octets)
