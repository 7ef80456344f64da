# The same large message read 100 octets at a time, with a "." at the start
# of every line (each stuffed, across chunk boundaries too).
# DESIGN.md "Streaming bodies".
config out_buf_size=1024
backend chunk=100
conn protected
user leo secret=bigmail
msg leo ".0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-\r\n"*200
S: +OK POP3 server ready
C: USER leo
S: +OK send PASS
C: PASS bigmail
S: +OK maildrop has 1 message (13400 octets)
C: RETR 1
S: +OK 13400 octets
S= "..0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-\r\n"*200 ".\r\n"
C: STAT
S: +OK 1 13400
