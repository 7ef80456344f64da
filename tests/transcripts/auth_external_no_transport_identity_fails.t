# AUTH EXTERNAL when the transport vouches for nobody: the host refuses,
# "-ERR [AUTH] authentication failed".  docs/replies.md "AUTH".
config sasl_mechs=EXTERNAL
user alice
S: +OK POP3 server ready
C: AUTH EXTERNAL =
S: -ERR [AUTH] authentication failed
expect state AUTHORIZATION
