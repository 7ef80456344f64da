# PASS is only valid right after a successful USER: "-ERR send USER
# first", a bad command.  RFC 1939 s7 (PASS), docs/replies.md.
conn protected
user alice secret=wonderland
msg alice uid=msg-one "From: ann@example.org\r\nSubject: one\r\n\r\nfirst body\r\n"
msg alice uid=msg-two "From: bob@example.org\r\nSubject: two\r\n\r\nsecond\r\nbody\r\n"
msg alice uid=msg-three "Subject: three\n\nbare LF body\n"
S: +OK POP3 server ready
C: PASS wonderland
S: -ERR send USER first
C: PASS wonderland
S: -ERR send USER first
C: PASS wonderland
S: -ERR too many bad commands, closing
expect closed
expect maildrop-close none
