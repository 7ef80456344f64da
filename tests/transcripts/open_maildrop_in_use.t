# Credentials accepted but the maildrop is locked: "-ERR [IN-USE] maildrop
# is locked by another session"; the session stays in AUTHORIZATION ready
# for another attempt, and this is not a failed login (limit 1 here).
# RFC 1939 s7 (PASS), RFC 2449 s8.1.1, docs/replies.md.
config max_auth_failures=1
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
S: -ERR [IN-USE] maildrop is locked by another session
expect state AUTHORIZATION
expect maildrop-close none
C: USER alice
S: +OK send PASS
C: PASS wonderland
S: +OK maildrop has 3 messages (136 octets)
expect state TRANSACTION
