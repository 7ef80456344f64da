# On an implicit-TLS channel (RFC 8314) STLS is neither advertised nor
# accepted, even if the host also says TLS could be started: "-ERR TLS
# already active", a bad command.  RFC 2595 s4, docs/replies.md.
config max_bad_commands_auth=2
conn tls tls-available
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
S: .
C: STLS
S: -ERR TLS already active
C: STLS
S: -ERR too many bad commands, closing
expect closed
