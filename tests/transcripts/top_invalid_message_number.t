# TOP's message number follows the common rules.  docs/replies.md.
conn protected
user tina secret=topsecret
msg tina "H1: a\r\nH2: b\r\n\r\nl1\r\nl2\r\nl3\r\n"
msg tina "H1: a\r\nH2: b\r\n"
msg tina "Subject: t\n\n.one\ntwo\n.three\n"
msg tina "H: a\r\n\r\nbody"
S: +OK POP3 server ready
C: USER tina
S: +OK send PASS
C: PASS topsecret
S: +OK maildrop has 4 messages (89 octets)
C: TOP x 1
S: -ERR invalid message number
C: TOP 0 1
S: -ERR no such message
C: TOP 5 0
S: -ERR no such message
