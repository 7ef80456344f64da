# A message with UTF-8 headers, before the client sent UTF8: the host
# answers POP3_R_NEEDS_UTF8 and RETR/TOP are "-ERR [UTF8] message needs
# UTF8 mode" (not a bad command); after UTF8 the message is sent as is.
# RFC 6856 s2 and s5, docs/replies.md "UTF8 and LANG".
config flags=UTF8,UTF8_IN_TRANSACTION max_bad_commands_trans=1
conn protected
user alice secret=wonderland
msg alice "Subject: plain\r\n\r\nascii\r\n"
msg alice utf8 "Subject: gr\xc3\xbc\xc3\x9fe\r\n\r\nbody\r\n"
S: +OK POP3 server ready
C: USER alice
S: +OK send PASS
C: PASS wonderland
S: +OK maildrop has 2 messages (51 octets)
C: RETR 2
S: -ERR [UTF8] message needs UTF8 mode
C: TOP 2 0
S: -ERR [UTF8] message needs UTF8 mode
C: RETR 1
S: +OK 25 octets
S: Subject: plain
S: 
S: ascii
S: .
C: UTF8
S: +OK UTF8 enabled
C: RETR 2
S: +OK 26 octets
S= "Subject: gr\xc3\xbc\xc3\x9fe\r\n"
S: 
S: body
S: .
