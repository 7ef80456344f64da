# 0, a number above the count and a number too large for 32 bits are valid
# syntax answered "-ERR no such message" - not bad commands (limit 1 here
# would close at the first bad one).  docs/replies.md, POP3-BEHAVIOUR.md
# (Courier overflows).
config max_bad_commands_trans=1
conn protected
user alice secret=wonderland
msg alice uid=msg-one "From: ann@example.org\r\nSubject: one\r\n\r\nfirst body\r\n"
msg alice uid=msg-two "From: bob@example.org\r\nSubject: two\r\n\r\nsecond\r\nbody\r\n"
msg alice uid=msg-three "Subject: three\n\nbare LF body\n"
S: +OK POP3 server ready
C: USER alice
S: +OK send PASS
C: PASS wonderland
S: +OK maildrop has 3 messages (136 octets)
C: LIST 0
S: -ERR no such message
C: LIST 4
S: -ERR no such message
C: RETR 4294967296
S: -ERR no such message
C: RETR 4294967297
S: -ERR no such message
C: DELE 99999999999999999999999999999999
S: -ERR no such message
C: TOP 18446744073709551617 1
S: -ERR no such message
C: UIDL 0
S: -ERR no such message
expect state TRANSACTION
C: STAT
S: +OK 3 136
