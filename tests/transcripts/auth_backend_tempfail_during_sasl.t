# The host's authenticate answers POP3_R_TEMPFAIL / POP3_R_PERMFAIL in a
# SASL exchange: the [SYS/TEMP] / [SYS/PERM] lines of PASS, the exchange
# ends, no failure is counted (max_auth_failures=1 would close).
# docs/replies.md "AUTHORIZATION".
config sasl_mechs=PLAIN,SCRAM-SHA-256 max_auth_failures=1
conn protected
user tim secret=tanstaaftanstaaf
fail auth TEMPFAIL times=1
fail auth PERMFAIL at=2 times=1
S: +OK POP3 server ready
C: AUTH SCRAM-SHA-256 biwsbj11c2VyLHI9ck9wck5HZndFYmVSV2diTkVrcU8=
S: -ERR [SYS/TEMP] authentication temporarily unavailable
C: AUTH PLAIN AHRpbQB0YW5zdGFhZnRhbnN0YWFm
S: -ERR [SYS/PERM] authentication unavailable
C: AUTH PLAIN AHRpbQB0YW5zdGFhZnRhbnN0YWFm
S: +OK maildrop has 0 messages (0 octets)
