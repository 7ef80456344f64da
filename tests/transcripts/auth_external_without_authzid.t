# AUTH EXTERNAL without an authorization identity (empty initial response
# "=", or an empty response to the empty challenge): the host names the
# user from its transport (a TLS client certificate) and answers
# login_user.  RFC 4422 appendix A, RFC 5034 s4 ("=" is an empty initial
# response), docs/security.md "Wiring".  EXTERNAL sends no password, so it
# is offered on an unprotected channel.
config sasl_mechs=EXTERNAL max_auth_failures=0
external alice
user alice
user bob
S: +OK POP3 server ready
C: CAPA
S: +OK capability list follows
S: TOP
S: UIDL
S: SASL EXTERNAL
S: RESP-CODES
S: AUTH-RESP-CODE
S: PIPELINING
S: .
C: AUTH EXTERNAL =
S: +OK maildrop has 0 messages (0 octets)
expect user alice
expect auth-calls 1
