# Arguments are separated by a single space: two spaces (an empty argument)
# and a trailing space are usage errors.  RFC 1939 s3, docs/replies.md.
conn protected
user alice secret=wonderland
msg alice uid=msg-one "From: ann@example.org\r\nSubject: one\r\n\r\nfirst body\r\n"
msg alice uid=msg-two "From: bob@example.org\r\nSubject: two\r\n\r\nsecond\r\nbody\r\n"
msg alice uid=msg-three "Subject: three\n\nbare LF body\n"
S: +OK POP3 server ready
C: USER  alice
S: -ERR usage: USER name
C: USER alice 
S: -ERR usage: USER name
C: USER alice
S: +OK send PASS
