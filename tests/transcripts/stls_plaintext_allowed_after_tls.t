# The plaintext policy is re-evaluated after STLS: refused (and USER and
# SASL PLAIN/LOGIN not advertised) on the plain channel, allowed on the
# encrypted one.  docs/security.md "The plaintext policy",
# POP3-BEHAVIOUR.md "Security".
conn tls-available
user alice secret=wonderland
S: +OK POP3 server ready
C: USER alice
S: -ERR plaintext login not allowed on this channel
C: AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=
S: -ERR plaintext login not allowed on this channel
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
C: USER alice
S: +OK send PASS
C: PASS wonderland
S: +OK maildrop has 0 messages (0 octets)
expect user alice
