# With no SASL mechanism configured (sasl_mechs=0) there is no SASL line,
# and AUTH of any mechanism is "-ERR unrecognized authentication
# mechanism".  docs/replies.md "CAPA" ("left out when none").
config sasl_mechs=none
conn protected
S: +OK POP3 server ready
C: CAPA
S: +OK capability list follows
S: TOP
S: UIDL
S: USER
S: RESP-CODES
S: AUTH-RESP-CODE
S: PIPELINING
S: .
C: AUTH PLAIN
S: -ERR unrecognized authentication mechanism
