# In AUTHORIZATION too, every complete command restarts the idle timer.
# pop3.h pop3_config.auth_timeout_ms ("idle time allowed").
conn protected now=1000
S: +OK POP3 server ready
expect deadline 61000
T: 31000
C: CAPA
S: +OK capability list follows
S: TOP
S: UIDL
S: USER
S: SASL PLAIN LOGIN
S: RESP-CODES
S: AUTH-RESP-CODE
S: PIPELINING
S: .
expect deadline 91000
T: 90999
expect open
T: 91000
expect closed
