# POP3_CFG_ALLOW_PLAINTEXT accepts USER/PASS on any channel.  pop3.h.
config flags=ALLOW_PLAINTEXT
user alice secret=wonderland
msg alice "Subject: a\r\n\r\nb\r\n"
S: +OK POP3 server ready
C: USER alice
S: +OK send PASS
C: PASS wonderland
S: +OK maildrop has 1 message (17 octets)
