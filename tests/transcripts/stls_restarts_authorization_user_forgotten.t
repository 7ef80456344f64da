# After a successful handshake the session starts afresh in AUTHORIZATION:
# no new greeting, the USER name and UTF8 mode given before STLS are
# forgotten.  RFC 2595 s4 (the server discards knowledge obtained from the
# client), pop3.h pop3_session_tls_done, POP3-BEHAVIOUR.md "STLS".
config flags=ALLOW_PLAINTEXT,UTF8
conn tls-available
user alice secret=wonderland
S: +OK POP3 server ready
C: UTF8
S: +OK UTF8 enabled
expect utf8 on
C: USER alice
S: +OK send PASS
expect user alice
C: STLS
S: +OK begin TLS negotiation
TLS: ok
expect user none
expect utf8 off
expect state AUTHORIZATION
C: PASS wonderland
S: -ERR send USER first
C: USER alice
S: +OK send PASS
C: PASS wonderland
S: +OK maildrop has 0 messages (0 octets)
expect state TRANSACTION
