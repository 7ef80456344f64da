# An empty message has size 0 and is sent as the status line and the
# terminator only (there is no line to end).  pop3.h pop3_sizer ("any").
conn protected
user kim secret=emptiness
msg kim ""
S: +OK POP3 server ready
C: USER kim
S: +OK send PASS
C: PASS emptiness
S: +OK maildrop has 1 message (0 octets)
C: LIST 1
S: +OK 1 0
C: RETR 1
S: +OK 0 octets
S: .
