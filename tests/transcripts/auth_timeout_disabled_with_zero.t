# auth_timeout_ms = 0 disables the AUTHORIZATION timer.  pop3.h
# pop3_config.auth_timeout_ms.
config auth_timeout_ms=0
conn protected
S: +OK POP3 server ready
expect no-deadline
T: 100000000
expect open
C: QUIT
S: +OK bye
expect closed
