# End of input right behind a pipelined login: every complete command is
# still executed and answered, also when the backend answers later (the
# pending variants deliver the answers after the EOF).  pop3.h
# pop3_session_in_eof.
conn protected
user alice secret=wonderland
msg alice uid=msg-one "From: ann@example.org\r\nSubject: one\r\n\r\nfirst body\r\n"
msg alice uid=msg-two "From: bob@example.org\r\nSubject: two\r\n\r\nsecond\r\nbody\r\n"
msg alice uid=msg-three "Subject: three\n\nbare LF body\n"
S: +OK POP3 server ready
C: USER alice
C: PASS wonderland
C: LIST 2
S: +OK send PASS
S: +OK maildrop has 3 messages (136 octets)
S: +OK 2 53
EOF
expect closed
expect no-commit
expect maildrop-close uncommitted
