# The host may take its time over the handshake: the session waits with
# POP3_STATUS_START_TLS (reading nothing) until pop3_session_tls_done, then
# takes commands again.  pop3.h "STLS".
conn tls-available
user alice secret=wonderland
S: +OK POP3 server ready
C: STLS
S: +OK begin TLS negotiation
T: 30000
expect open
expect state AUTHORIZATION
TLS: ok
C: USER alice
S: +OK send PASS
C: PASS wonderland
S: +OK maildrop has 0 messages (0 octets)
