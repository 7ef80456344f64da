# The AUTHORIZATION timer (default 60000 ms) closes an idle unauthenticated
# session without a reply.  pop3.h pop3_config.auth_timeout_ms,
# POP3-BEHAVIOUR.md "Security" (shorter pre-login deadline).
conn protected
S: +OK POP3 server ready
expect deadline 60000
T: 59999
expect open
T: 60000
expect closed
expect maildrop-close none
expect close-reason TIMEOUT
