# Commands pipelined before STLS are answered in order, STLS is answered
# once they are, and only what follows the STLS line is discarded.
# RFC 2449 s6.6 (PIPELINING), RFC 2595 s4, docs/security.md.
conn tls-available
S: +OK POP3 server ready
C= "NOOP\r\nCAPA\r\nSTLS\r\nCAPA\r\nQUIT\r\n"
S: -ERR command not valid in this state
S: +OK capability list follows
S: TOP
S: UIDL
S: RESP-CODES
S: AUTH-RESP-CODE
S: PIPELINING
S: STLS
S: .
S: +OK begin TLS negotiation
TLS: ok
expect open
C: QUIT
S: +OK bye
expect closed
