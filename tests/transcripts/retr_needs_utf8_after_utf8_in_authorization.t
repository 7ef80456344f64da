# UTF8 given in AUTHORIZATION stays on after login: a message with UTF-8
# headers is sent at once.  RFC 6856 s2.
config flags=UTF8
conn protected
user alice secret=wonderland
msg alice utf8 "Subject: gr\xc3\xbc\xc3\x9fe\r\n\r\nbody\r\n"
S: +OK POP3 server ready
C: UTF8
S: +OK UTF8 enabled
C: USER alice
S: +OK send PASS
C: PASS wonderland
S: +OK maildrop has 1 message (26 octets)
C: TOP 1 0
S: +OK top of message follows
S= "Subject: gr\xc3\xbc\xc3\x9fe\r\n"
S: 
S: .
expect utf8 on
