# Pipelined RETRs of bodies larger than the output window: each reply ends
# with its terminator before the next begins (WildDuck shipped a race where
# the next RETR began early).  POP3-BEHAVIOUR.md "Pipelining".
config out_buf_size=1024
conn protected
user leo secret=bigmail
msg leo "A" "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-\r\n"*40
msg leo "B" "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-\r\n"*30
S: +OK POP3 server ready
C: USER leo
S: +OK send PASS
C: PASS bigmail
S: +OK maildrop has 2 messages (4622 octets)
C: RETR 1
C: RETR 2
C: RETR 1
C: LIST
C: QUIT
S: +OK 2641 octets
S= "A" "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-\r\n"*40 ".\r\n"
S: +OK 1981 octets
S= "B" "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-\r\n"*30 ".\r\n"
S: +OK 2641 octets
S= "A" "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-\r\n"*40 ".\r\n"
S: +OK 2 messages (4622 octets)
S: 1 2641
S: 2 1981
S: .
S: +OK bye, 0 messages deleted
expect closed
