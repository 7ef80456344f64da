# LIST, STAT and the RETR status line report the backend's size (here
# deliberately different from the bytes); the body is still the message.
# docs/replies.md ("+OK S octets"), pop3.h pop3_msg_info.size.
conn protected
user nora secret=backend-size
msg nora size=999 "Subject: s\r\n\r\nx\r\n"
S: +OK POP3 server ready
C: USER nora
S: +OK send PASS
C: PASS backend-size
S: +OK maildrop has 1 message (999 octets)
C: LIST 1
S: +OK 1 999
C: RETR 1
S: +OK 999 octets
S: Subject: s
S:
S: x
S: .
