# POP3_CFG_UTF8 without POP3_CFG_UTF8_USER: CAPA says plain "UTF8" (no
# UTF-8 user names), in both states.  RFC 6856 s2, docs/replies.md "CAPA".
config flags=UTF8
conn protected
user alice secret=wonderland
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
S: UTF8
S: .
C: USER alice
S: +OK send PASS
C: PASS wonderland
S: +OK maildrop has 0 messages (0 octets)
C: CAPA
S: +OK capability list follows
S: TOP
S: UIDL
S: RESP-CODES
S: AUTH-RESP-CODE
S: PIPELINING
S: UTF8
S: .
