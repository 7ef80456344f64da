# The host's sasl_step answers POP3_R_TEMPFAIL / POP3_R_PERMFAIL: the
# exchange ends with the [SYS/TEMP] / [SYS/PERM] authentication lines of
# PASS, not counted as failed logins.  docs/replies.md "AUTHORIZATION".
config sasl_mechs=HOST host_mechs=X-TWICE max_auth_failures=1
user alice
fail sasl TEMPFAIL at=2 times=1
fail sasl PERMFAIL at=3 times=1
S: +OK POP3 server ready
C: AUTH X-TWICE YWxpY2U=
S: + YWdhaW4/
C: YWxpY2U=
S: -ERR [SYS/TEMP] authentication temporarily unavailable
C: AUTH X-TWICE YWxpY2U=
S: -ERR [SYS/PERM] authentication unavailable
C: AUTH X-TWICE YWxpY2U=
S: + YWdhaW4/
C: YWxpY2U=
S: +OK maildrop has 0 messages (0 octets)
