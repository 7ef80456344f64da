# An unknown keyword is answered "-ERR unknown command" and the session
# goes on.  RFC 1939 s3, docs/replies.md "Errors common to every state".
conn protected
user alice secret=wonderland
msg alice uid=msg-one "From: ann@example.org\r\nSubject: one\r\n\r\nfirst body\r\n"
msg alice uid=msg-two "From: bob@example.org\r\nSubject: two\r\n\r\nsecond\r\nbody\r\n"
msg alice uid=msg-three "Subject: three\n\nbare LF body\n"
S: +OK POP3 server ready
C: HELO mail.example.org
S: -ERR unknown command
expect open
C: USER alice
S: +OK send PASS
C: PASS wonderland
S: +OK maildrop has 3 messages (136 octets)
C: EHLO
S: -ERR unknown command
C: XTND XMIT
S: -ERR unknown command
C: STAT
S: +OK 3 136
