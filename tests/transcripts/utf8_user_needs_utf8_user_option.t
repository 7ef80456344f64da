# Without POP3_CFG_UTF8_USER 8-bit user names stay refused even after UTF8
# (the server did not advertise "UTF8 USER"); ASCII names are unaffected.
# RFC 6856 s2, docs/replies.md "UTF8 and LANG".
config flags=UTF8
conn protected apop=<1896.697170952@dbc.mtview.ca.us>
user alice secret=wonderland
S: +OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>
C: UTF8
S: +OK UTF8 enabled
C= "USER j\xc3\xb6rg\r\n"
S: -ERR [UTF8] UTF-8 user names need the UTF8 command
C= "APOP j\xc3\xb6rg c4c9334bac560ecc979e58001b3e22fb\r\n"
S: -ERR [UTF8] UTF-8 user names need the UTF8 command
C: USER alice
S: +OK send PASS
