# A backend id that is not 1-70 characters of 0x21-0x7E is replaced by "~"
# and the 32 lowercase hex digits of the MD5 of its bytes (stable across
# sessions); a valid id - even 70 characters, "!" and "~" - is sent as is.
# RFC 1939 s7 (UIDL), pop3.h POP3_CFG_UIDL_STRICT.
conn protected
user walt secret=identity
msg walt uid="" "m1\r\n"
msg walt uid="has space" "m2\r\n"
msg walt uid="aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" "m3\r\n"
msg walt uid="caf\xc3\xa9" "m4\r\n"
msg walt uid="tab\there" "m5\r\n"
msg walt uid="\x7f" "m6\r\n"
msg walt uid="xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" "m7\r\n"
msg walt uid="!~" "m8\r\n"
S: +OK POP3 server ready
C: USER walt
S: +OK send PASS
C: PASS identity
S: +OK maildrop has 8 messages (32 octets)
C: UIDL
S: +OK unique-id listing follows
S: 1 ~d41d8cd98f00b204e9800998ecf8427e
S: 2 ~53f8a8e7f9d113df4edd436f42a72b41
S: 3 ~cddd19bec7f310d8c87149ef47a1828f
S: 4 ~07117fe4a1ebd544965dc19573183da2
S: 5 ~844fd4cec7535bdc04e9ba1226b7f358
S: 6 ~83acb6e67e50e31db6ed341dd2de1595
S: 7 xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
S: 8 !~
S: .
C: UIDL 2
S: +OK 2 ~53f8a8e7f9d113df4edd436f42a72b41
