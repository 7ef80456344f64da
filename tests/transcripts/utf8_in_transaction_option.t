# POP3_CFG_UTF8_IN_TRANSACTION also accepts UTF8 after login (an Outlook
# habit): "+OK UTF8 enabled".  pop3.h POP3_CFG_UTF8_IN_TRANSACTION,
# docs/replies.md "UTF8 and LANG".
config flags=UTF8,UTF8_IN_TRANSACTION
conn protected
user alice secret=wonderland
S: +OK POP3 server ready
C: USER alice
S: +OK send PASS
C: PASS wonderland
S: +OK maildrop has 0 messages (0 octets)
expect utf8 off
C: UTF8
S: +OK UTF8 enabled
expect utf8 on
