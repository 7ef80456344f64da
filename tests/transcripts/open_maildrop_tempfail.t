# The maildrop cannot be opened for now: "-ERR [SYS/TEMP] maildrop
# temporarily unavailable", stay in AUTHORIZATION.  RFC 3206,
# docs/replies.md.
conn protected
user alice secret=wonderland
msg alice uid=msg-one "From: ann@example.org\r\nSubject: one\r\n\r\nfirst body\r\n"
msg alice uid=msg-two "From: bob@example.org\r\nSubject: two\r\n\r\nsecond\r\nbody\r\n"
msg alice uid=msg-three "Subject: three\n\nbare LF body\n"
fail open TEMPFAIL
S: +OK POP3 server ready
C: USER alice
S: +OK send PASS
C: PASS wonderland
S: -ERR [SYS/TEMP] maildrop temporarily unavailable
expect state AUTHORIZATION
expect maildrop-close none
