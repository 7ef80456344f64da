# A failed handshake closes the session without a reply (the channel is in
# an unknown state) and without UPDATE.  pop3.h pop3_session_tls_done,
# POP3_CLOSE_TLS_FAILED.
conn tls-available
S: +OK POP3 server ready
C: STLS
S: +OK begin TLS negotiation
TLS: fail
expect closed
expect close-reason TLS_FAILED
expect maildrop-close none
