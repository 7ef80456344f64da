# AUTH EXTERNAL with an authorization identity: the host decides.  The
# transport's own identity ("alice") is accepted; another one ("bob") is
# refused, counted as a failed login.  RFC 4422 appendix A,
# docs/security.md "Wiring" (EXTERNAL: req->authzid).
config sasl_mechs=EXTERNAL
external alice
user alice
user bob
S: +OK POP3 server ready
C: AUTH EXTERNAL Ym9i
S: -ERR [AUTH] authentication failed
expect user none
C: AUTH EXTERNAL YWxpY2U=
S: +OK maildrop has 0 messages (0 octets)
expect user alice
