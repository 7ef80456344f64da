# STLS is an AUTHORIZATION command: in TRANSACTION it is "-ERR command not
# valid in this state" and CAPA does not list it.  RFC 2595 s4,
# docs/replies.md "CAPA".
conn protected tls-available
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
S: STLS
S: .
C: USER alice
S: +OK send PASS
C: PASS wonderland
S: +OK maildrop has 0 messages (0 octets)
C: CAPA
S: +OK capability list follows
S: TOP
S: UIDL
S: RESP-CODES
S: AUTH-RESP-CODE
S: PIPELINING
S: .
C: STLS
S: -ERR command not valid in this state
expect state TRANSACTION
