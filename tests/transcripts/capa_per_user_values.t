# Per-user LOGIN-DELAY / EXPIRE: in AUTHORIZATION the configured value with
# " USER" appended; in TRANSACTION the user's own value from the maildrop
# open, without USER.  RFC 2449 s6.5, s6.7, docs/replies.md "CAPA".
config login_delay=900 login_delay_per_user=1 expire=31 expire_per_user=1
conn protected
user yara secret=per-user login_delay=1800 expire=60
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
S: LOGIN-DELAY 900 USER
S: EXPIRE 31 USER
S: .
C: USER yara
S: +OK send PASS
C: PASS per-user
S: +OK maildrop has 0 messages (0 octets)
C: CAPA
S: +OK capability list follows
S: TOP
S: UIDL
S: RESP-CODES
S: AUTH-RESP-CODE
S: PIPELINING
S: LOGIN-DELAY 1800
S: EXPIRE 60
S: .
