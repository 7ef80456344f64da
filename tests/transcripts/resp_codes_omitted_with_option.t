# POP3_CFG_NO_RESP_CODES: the same texts without the bracketed code and the
# space after it.  docs/replies.md (preamble), RFC 2449 s8.
config flags=NO_RESP_CODES max_auth_failures=2
conn protected
user alice secret=wonderland
msg alice uid=msg-one "From: ann@example.org\r\nSubject: one\r\n\r\nfirst body\r\n"
msg alice uid=msg-two "From: bob@example.org\r\nSubject: two\r\n\r\nsecond\r\nbody\r\n"
msg alice uid=msg-three "Subject: three\n\nbare LF body\n"
fail open IN_USE times=1
S: +OK POP3 server ready
C: USER alice
S: +OK send PASS
C: PASS wonderland
S: -ERR maildrop is locked by another session
C: USER alice
S: +OK send PASS
C: PASS wrong-password
S: -ERR authentication failed
C: USER alice
S: +OK send PASS
C: PASS wrong-password
S: -ERR authentication failed, closing
expect closed
