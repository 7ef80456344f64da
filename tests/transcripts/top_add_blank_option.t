# POP3_CFG_TOP_ADD_BLANK: TOP on a message without an empty line adds the
# empty line after the headers; messages that have one are unchanged.
# pop3.h.
config flags=TOP_ADD_BLANK
conn protected
user tina secret=topsecret
msg tina "H1: a\r\nH2: b\r\n"
msg tina "H: a\r\n\r\nbody\r\n"
msg tina "H: no final newline"
S: +OK POP3 server ready
C: USER tina
S: +OK send PASS
C: PASS topsecret
S: +OK maildrop has 3 messages (49 octets)
C: TOP 1 3
S: +OK top of message follows
S: H1: a
S: H2: b
S:
S: .
C: TOP 2 0
S: +OK top of message follows
S: H: a
S:
S: .
C: TOP 3 1
S: +OK top of message follows
S: H: no final newline
S:
S: .
