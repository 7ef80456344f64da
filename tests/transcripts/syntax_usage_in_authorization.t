# Usage errors in AUTHORIZATION: USER needs exactly one argument.  RFC 1939
# s7, docs/replies.md (usage strings).
conn protected
user alice secret=wonderland
msg alice uid=msg-one "From: ann@example.org\r\nSubject: one\r\n\r\nfirst body\r\n"
msg alice uid=msg-two "From: bob@example.org\r\nSubject: two\r\n\r\nsecond\r\nbody\r\n"
msg alice uid=msg-three "Subject: three\n\nbare LF body\n"
S: +OK POP3 server ready
C: USER
S: -ERR usage: USER name
C: USER alice smith
S: -ERR usage: USER name
expect user none
C: QUIT
S: +OK bye
