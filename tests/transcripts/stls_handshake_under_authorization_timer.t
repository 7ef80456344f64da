# While the host performs the TLS handshake the AUTHORIZATION timer keeps
# running (POP3_STATUS_START_TLS plus DEADLINE); a handshake that takes
# longer than auth_timeout_ms ends the session like any idle client, with
# no reply.  pop3.h "STLS", RFC 1939 s3.
conn tls-available now=1000
S: +OK POP3 server ready
C: STLS
S: +OK begin TLS negotiation
expect deadline 61000
T: 60999
expect open
T: 61000
expect closed
expect close-reason TIMEOUT
