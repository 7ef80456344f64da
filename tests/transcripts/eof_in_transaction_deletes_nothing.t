# The client closes its side in TRANSACTION: no UPDATE, nothing deleted, no
# reply; the maildrop is closed uncommitted.  RFC 1939 s6 ("if the session
# terminates for some other reason ... the POP3 server does NOT enter the
# UPDATE state").
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
EOF
expect closed
expect no-commit
expect maildrop-close uncommitted
expect close-reason EOF
