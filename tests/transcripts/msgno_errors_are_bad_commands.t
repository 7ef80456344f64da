# Malformed message numbers count as bad commands: with a TRANSACTION limit
# of 3 the third closes the session without UPDATE.  docs/replies.md
# ("Every -ERR in this table counts as a bad command").
config max_bad_commands_trans=3
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
C: DELE 1
S: +OK message 1 deleted
C: LIST x
S: -ERR invalid message number
C: RETR 2x
S: -ERR noise after message number
C: DELE -3
S: -ERR too many bad commands, closing
expect closed
expect no-commit
