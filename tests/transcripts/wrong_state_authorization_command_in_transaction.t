# USER, PASS and APOP in TRANSACTION: "-ERR command not valid in this
# state"; the session stays logged in.  RFC 1939 s5, docs/replies.md.
conn apop=<1896.697170952@dbc.mtview.ca.us>
conn protected
user alice secret=wonderland
msg alice uid=msg-one "From: ann@example.org\r\nSubject: one\r\n\r\nfirst body\r\n"
msg alice uid=msg-two "From: bob@example.org\r\nSubject: two\r\n\r\nsecond\r\nbody\r\n"
msg alice uid=msg-three "Subject: three\n\nbare LF body\n"
S: +OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>
C: USER alice
S: +OK send PASS
C: PASS wonderland
S: +OK maildrop has 3 messages (136 octets)
C: USER alice
S: -ERR command not valid in this state
C: PASS wonderland
S: -ERR command not valid in this state
C: APOP alice 0123456789abcdef0123456789abcdef
S: -ERR command not valid in this state
expect state TRANSACTION
expect user alice
C: STAT
S: +OK 3 136
