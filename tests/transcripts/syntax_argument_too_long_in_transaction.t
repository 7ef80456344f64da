# The 40-character limit applies to every argument but PASS's; a 41-digit
# message number is "too long", not a number.  RFC 1939 s3, docs/replies.md.
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
C: LIST 00000000000000000000000000000000000000001
S: -ERR argument too long
C: LIST 0000000000000000000000000000000000000001
S: +OK 1 51
