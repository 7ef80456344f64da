# POP3_CFG_STRICT_CRLF: a line ended by a bare LF is "-ERR line must end
# with CRLF" (a bad command); CRLF lines work.  docs/replies.md.
config flags=STRICT_CRLF
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
C= "NOOP\n"
S: -ERR line must end with CRLF
C= "DELE 1\n"
S: -ERR line must end with CRLF
C: NOOP
S: +OK noop
C: STAT
S: +OK 3 136
