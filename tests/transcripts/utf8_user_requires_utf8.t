# A user name with 8-bit octets needs the UTF8 command first: before it,
# "-ERR [UTF8] UTF-8 user names need the UTF8 command"; after it, a
# malformed name is "-ERR user name is not valid UTF-8" and a well-formed
# one is accepted; none of these is a bad command.  RFC 6856 s2 ("UTF8 USER"),
# docs/replies.md "UTF8 and LANG".
config flags=UTF8,UTF8_USER max_bad_commands_auth=1
conn protected
user "j\xc3\xb6rg" secret=kennwort-123
S: +OK POP3 server ready
C= "USER j\xc3\xb6rg\r\n"
S: -ERR [UTF8] UTF-8 user names need the UTF8 command
C: UTF8
S: +OK UTF8 enabled
C= "USER j\xf6rg\r\n"
S: -ERR user name is not valid UTF-8
C= "USER j\xc3\xb6rg\r\n"
S: +OK send PASS
C: PASS kennwort-123
S: +OK maildrop has 0 messages (0 octets)
expect user "j\xc3\xb6rg"
