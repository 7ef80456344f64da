# An empty line written as a bare LF also ends the headers.  RFC 1939 s7,
# pop3.h codec rules.
conn protected
user vic secret=headers
msg vic "Subject: lf\n\nbody one\nbody two\n"
S: +OK POP3 server ready
C: USER vic
S: +OK send PASS
C: PASS headers
S: +OK maildrop has 1 message (35 octets)
C: TOP 1 1
S: +OK top of message follows
S: Subject: lf
S:
S: body one
S: .
