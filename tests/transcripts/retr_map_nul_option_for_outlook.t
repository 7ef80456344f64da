# With POP3_CFG_MAP_NUL every NUL octet of a message is sent as 0x80 (old
# Outlook versions hang on NUL); the size is unchanged, other octets pass
# as they are.  POP3-BEHAVIOUR.md "Sizes and message bodies" (option).
config flags=MAP_NUL
conn protected
user judy secret=binary
backend chunk=3
msg judy "\0a\0\0b\xff\r\n\0.\r\n"
S: +OK POP3 server ready
C: USER judy
S: +OK send PASS
C: PASS binary
S: +OK maildrop has 1 message (12 octets)
C: RETR 1
S: +OK 12 octets
S= "\x80a\x80\x80b\xff\r\n\x80.\r\n.\r\n"
C: TOP 1 0
S: +OK top of message follows
S= "\x80a\x80\x80b\xff\r\n\x80.\r\n.\r\n"
