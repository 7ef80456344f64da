# Two spaces between arguments, or a trailing space, are usage errors in
# TRANSACTION too (lenient spacing is an option, off by default).  RFC 1939
# s3, docs/replies.md.
conn protected
user alice secret=wonderland
msg alice uid=msg-one "From: ann@example.org\r\nSubject: one\r\n\r\nfirst body\r\n"
msg alice uid=msg-two "From: bob@example.org\r\nSubject: two\r\n\r\nsecond\r\nbody\r\n"
msg alice uid=msg-three "Subject: three\n\nbare LF body\n"
S: +OK POP3 server ready
C: USER alice
S: +OK send PASS
C: PASS wonderland
S: +OK maildrop has 3 messages (136 octets)
C: LIST  1
S: -ERR usage: LIST [msg]
C: TOP 1  1
S: -ERR usage: TOP msg lines
C: DELE 1 
S: -ERR usage: DELE msg
C: STAT 
S: -ERR usage: STAT
C: STAT
S: +OK 3 136
