# Body lines are counted across chunk boundaries (one octet per read here),
# with bare LF and CRLF line ends mixed; the read stops early and the
# message is closed.  DESIGN.md "Streaming bodies".
conn protected
user uma secret=chunked
msg uma "A: 1\nB: 2\r\n\r\none\ntwo\r\n.three\nfour\n"
backend chunk=1
S: +OK POP3 server ready
C: USER uma
S: +OK send PASS
C: PASS chunked
S: +OK maildrop has 1 message (38 octets)
C: TOP 1 1
S: +OK top of message follows
S: A: 1
S: B: 2
S:
S: one
S: .
C: TOP 1 3
S: +OK top of message follows
S: A: 1
S: B: 2
S:
S: one
S: two
S: ..three
S: .
C: NOOP
S: +OK noop
