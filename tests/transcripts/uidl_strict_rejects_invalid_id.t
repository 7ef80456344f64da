# POP3_CFG_UIDL_STRICT: UIDL n of a message whose backend id is invalid is
# "-ERR [SYS/TEMP] invalid unique id from backend" (not a bad command);
# valid ids are unaffected.  docs/replies.md.
config flags=UIDL_STRICT max_bad_commands_trans=1
conn protected
user walt secret=identity
msg walt uid="has space" "m1\r\n"
msg walt uid=good-id "m2\r\n"
S: +OK POP3 server ready
C: USER walt
S: +OK send PASS
C: PASS identity
S: +OK maildrop has 2 messages (8 octets)
C: UIDL 1
S: -ERR [SYS/TEMP] invalid unique id from backend
C: UIDL 2
S: +OK 2 good-id
expect state TRANSACTION
