# POP3_CFG_LANG offers LANG (CAPA "LANG"): a bare LANG lists the languages
# ("en English" only), "LANG en" and "LANG *" select English, any other
# tag is "-ERR invalid language" (not a bad command); the same in
# TRANSACTION.  RFC 6856 s3, docs/replies.md "UTF8 and LANG".
config flags=LANG max_bad_commands_auth=1 max_bad_commands_trans=1
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
S: LANG
S: .
C: LANG
S: +OK language listing follows
S: en English
S: .
C: LANG en
S: +OK en English
C: LANG *
S: +OK en English
C: LANG fr
S: -ERR invalid language
C: lang EN
S: +OK en English
C: USER alice
S: +OK send PASS
C: PASS wonderland
S: +OK maildrop has 0 messages (0 octets)
C: LANG
S: +OK language listing follows
S: en English
S: .
C: LANG de
S: -ERR invalid language
expect open
