# A host mechanism with an initial response (step 0 has the data), and the
# host's POP3_R_DENIED: "-ERR [AUTH] authentication failed", counted and
# delayed like every failed login.  pop3.h pop3_sasl_answer.
config sasl_mechs=HOST host_mechs="X-OTHER X-TWICE" auth_fail_delay_ms=500
user alice
S: +OK POP3 server ready
C: AUTH X-TWICE YWxpY2U=
S: + YWdhaW4/
C: YWxpY0U=
expect open
T: 500
S: -ERR [AUTH] authentication failed
C: AUTH X-TWICE YWxpY2U=
S: + YWdhaW4/
C: YWxpY2U=
S: +OK maildrop has 0 messages (0 octets)
expect sasl-steps 4
