# The delay runs on the host's clock from the moment of the failure (here
# the connection starts at 10000 ms; library default delay 2000 ms).
# pop3.h pop3_config.auth_fail_delay_ms, pop3_connection.now_ms.
config auth_fail_delay_ms=2000
conn protected now=10000
S: +OK POP3 server ready
C: USER mallory
S: +OK send PASS
C: PASS guess-one
T: 11999
T: 12000
S: -ERR [AUTH] authentication failed
