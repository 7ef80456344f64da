# Every decided login attempt is reported once as a POP3_EV_AUTH trace
# event (for logs and fail2ban): refused credentials as failed, accepted
# ones as ok - whatever the mechanism.  pop3.h POP3_EV_AUTH.
conn protected
user tim secret=tanstaaftanstaaf
S: +OK POP3 server ready
C: USER tim
S: +OK send PASS
C: PASS wrong
S: -ERR [AUTH] authentication failed
expect logins-failed 1
expect logins-ok 0
C: AUTH PLAIN AHRpbQB3cm9uZw==
S: -ERR [AUTH] authentication failed
expect logins-failed 2
C: AUTH PLAIN AHRpbQB0YW5zdGFhZnRhbnN0YWFm
S: +OK maildrop has 0 messages (0 octets)
expect logins-ok 1
expect logins-failed 2
