# A message much larger than the output window (13200 octets through 1024)
# streams out whole, and the command pipelined behind it is answered after
# its terminator.  DESIGN.md "Streaming bodies", "Backpressure".
config out_buf_size=1024
conn protected
user leo secret=bigmail
msg leo "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-\r\n"*200
S: +OK POP3 server ready
C: USER leo
S: +OK send PASS
C: PASS bigmail
S: +OK maildrop has 1 message (13200 octets)
C: RETR 1
C: NOOP
S: +OK 13200 octets
S= "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-\r\n"*200 ".\r\n"
S: +OK noop
