# POP3_CFG_UTF8 offers the UTF8 command (CAPA "UTF8", "UTF8 USER" with
# POP3_CFG_UTF8_USER): "+OK UTF8 enabled", after which the host is told
# (pop3_session_utf8) that the client takes unencoded UTF-8.  RFC 6856 s2,
# docs/replies.md "UTF8 and LANG", "CAPA".
config flags=UTF8,UTF8_USER
conn protected
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
S: UTF8 USER
S: .
expect utf8 off
C: UTF8
S: +OK UTF8 enabled
expect utf8 on
