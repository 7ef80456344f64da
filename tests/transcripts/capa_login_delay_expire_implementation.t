# Configured LOGIN-DELAY, EXPIRE NEVER and IMPLEMENTATION come last, in
# this order, each with its tag (Mailutils prints "EXPIRENEVER" and a
# LOGIN-DELAY without its tag).  RFC 2449 s6.5, s6.7, s6.9,
# docs/replies.md "CAPA".
config login_delay=900 expire=NEVER implementation="libpop3 test build"
conn protected
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
S: LOGIN-DELAY 900
S: EXPIRE NEVER
S: IMPLEMENTATION libpop3 test build
S: .
