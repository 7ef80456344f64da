# UTF8 is an AUTHORIZATION command (RFC 6856 s2): in TRANSACTION it is
# "-ERR command not valid in this state" unless
# POP3_CFG_UTF8_IN_TRANSACTION.  docs/replies.md "UTF8 and LANG".
config flags=UTF8
conn protected
user alice secret=wonderland
S: +OK POP3 server ready
C: USER alice
S: +OK send PASS
C: PASS wonderland
S: +OK maildrop has 0 messages (0 octets)
C: UTF8
S: -ERR command not valid in this state
expect utf8 off
