# An empty maildrop: STAT "+OK 0 0", LIST just the status line and ".".
# RFC 1939 s5.
conn protected
user erin secret=nothing-here
S: +OK POP3 server ready
C: USER erin
S: +OK send PASS
C: PASS nothing-here
S: +OK maildrop has 0 messages (0 octets)
C: STAT
S: +OK 0 0
C: LIST
S: +OK 0 messages (0 octets)
S: .
C: UIDL
S: +OK unique-id listing follows
S: .
C: LIST 1
S: -ERR no such message
