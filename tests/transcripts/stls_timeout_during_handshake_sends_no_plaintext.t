# Once "+OK begin TLS negotiation" is out, the next octets on the wire
# belong to the TLS handshake (RFC 2595 s4): even with
# POP3_CFG_AUTOLOGOUT_REPLY a timeout during the handshake must not queue a
# plaintext "-ERR idle timeout, closing" for the host to write into it.
# The session just closes.
config flags=AUTOLOGOUT_REPLY
conn tls-available
S: +OK POP3 server ready
C: STLS
S: +OK begin TLS negotiation
T: 60000
expect closed
expect close-reason TIMEOUT
