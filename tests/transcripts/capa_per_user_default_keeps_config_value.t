# A per-user maildrop answer of POP3_NOT_ADVERTISED keeps the configured
# value in TRANSACTION (without USER); EXPIRE NEVER per user is printed as
# "EXPIRE NEVER".  pop3.h pop3_maildrop.login_delay / expire.
config login_delay=900 login_delay_per_user=1 expire=31 expire_per_user=1
conn protected
user zoe secret=defaults expire=NEVER
S: +OK POP3 server ready
C: USER zoe
S: +OK send PASS
C: PASS defaults
S: +OK maildrop has 0 messages (0 octets)
C: CAPA
S: +OK capability list follows
S: TOP
S: UIDL
S: RESP-CODES
S: AUTH-RESP-CODE
S: PIPELINING
S: LOGIN-DELAY 900
S: EXPIRE NEVER
S: .
