# A TRANSACTION command in AUTHORIZATION: "-ERR command not valid in this
# state".  RFC 1939 s4 ("the only commands the POP3 server accepts ..."),
# docs/replies.md.  (NOOP and RSET are TRANSACTION commands, RFC 1939 s5.)
conn protected
user alice secret=wonderland
msg alice uid=msg-one "From: ann@example.org\r\nSubject: one\r\n\r\nfirst body\r\n"
msg alice uid=msg-two "From: bob@example.org\r\nSubject: two\r\n\r\nsecond\r\nbody\r\n"
msg alice uid=msg-three "Subject: three\n\nbare LF body\n"
S: +OK POP3 server ready
C: STAT
S: -ERR command not valid in this state
C: RETR 1
S: -ERR command not valid in this state
expect open
C: QUIT
S: +OK bye
expect closed
