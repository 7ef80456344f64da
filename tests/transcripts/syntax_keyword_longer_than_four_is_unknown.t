# A keyword is 3-4 characters: anything longer is an unknown command, even
# when it starts with a real one.  RFC 1939 s3, docs/replies.md.
conn protected
user alice secret=wonderland
msg alice uid=msg-one "From: ann@example.org\r\nSubject: one\r\n\r\nfirst body\r\n"
msg alice uid=msg-two "From: bob@example.org\r\nSubject: two\r\n\r\nsecond\r\nbody\r\n"
msg alice uid=msg-three "Subject: three\n\nbare LF body\n"
S: +OK POP3 server ready
C: USERS alice
S: -ERR unknown command
C: USER alice
S: +OK send PASS
C: PASS wonderland
S: +OK maildrop has 3 messages (136 octets)
C: STATS
S: -ERR unknown command
C: LISTX 1
S: -ERR unknown command
C: STAT
S: +OK 3 136
