# Sizes are 64-bit: counts beyond 4 GiB are printed exactly (Cyrus's STAT
# wraps at 4 GiB).  The sizes here come from the backend (size=).
# POP3-BEHAVIOUR.md "Sizes and message bodies".
conn protected
user huge secret=gigabytes
msg huge size=5000000000 "Subject: big\r\n\r\n.\r\n"
msg huge size=4294967296 "Subject: bigger\r\n\r\n.\r\n"
S: +OK POP3 server ready
C: USER huge
S: +OK send PASS
C: PASS gigabytes
S: +OK maildrop has 2 messages (9294967296 octets)
C: STAT
S: +OK 2 9294967296
C: LIST
S: +OK 2 messages (9294967296 octets)
S: 1 5000000000
S: 2 4294967296
S: .
C: DELE 2
S: +OK message 2 deleted
C: STAT
S: +OK 1 5000000000
C: RSET
S: +OK maildrop has 2 messages (9294967296 octets)
