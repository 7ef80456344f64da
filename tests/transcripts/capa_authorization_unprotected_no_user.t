# CAPA in AUTHORIZATION on a channel where plaintext login is not allowed:
# no USER tag, and no SASL line (the default mechanisms PLAIN and LOGIN are
# plaintext ones).  Tags in the fixed order of docs/replies.md "CAPA";
# RFC 2449 s5, s6; pop3.h pop3_config.sasl_mechs.
S: +OK POP3 server ready
C: CAPA
S: +OK capability list follows
S: TOP
S: UIDL
S: RESP-CODES
S: AUTH-RESP-CODE
S: PIPELINING
S: .
