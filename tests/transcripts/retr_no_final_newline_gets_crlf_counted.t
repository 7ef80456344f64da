# A message without a final newline is sent with CRLF added, and that CRLF
# is counted in LIST, STAT and the RETR size (Dovecot and Cyrus send 2
# octets more than they LIST).  POP3-BEHAVIOUR.md "Sizes", RFC 1939 s11.
conn protected
user grace secret=no-newline
msg grace "Subject: x\r\n\r\nno newline"
S: +OK POP3 server ready
C: USER grace
S: +OK send PASS
C: PASS no-newline
S: +OK maildrop has 1 message (26 octets)
C: STAT
S: +OK 1 26
C: LIST
S: +OK 1 message (26 octets)
S: 1 26
S: .
C: RETR 1
S: +OK 26 octets
S: Subject: x
S:
S: no newline
S: .
