# Backend failures before any reply line: TEMPFAIL "-ERR [SYS/TEMP] message
# temporarily unavailable", PERMFAIL "-ERR [SYS/PERM] message unavailable".
# Not bad commands (limit 1 here).  docs/replies.md, RFC 3206.
config max_bad_commands_trans=1
conn protected
user alice secret=wonderland
msg alice uid=msg-one "From: ann@example.org\r\nSubject: one\r\n\r\nfirst body\r\n"
msg alice uid=msg-two "From: bob@example.org\r\nSubject: two\r\n\r\nsecond\r\nbody\r\n"
msg alice uid=msg-three "Subject: three\n\nbare LF body\n"
fail info 1 TEMPFAIL
fail info 2 PERMFAIL
S: +OK POP3 server ready
C: USER alice
S: +OK send PASS
C: PASS wonderland
S: +OK maildrop has 3 messages (136 octets)
C: RETR 1
S: -ERR [SYS/TEMP] message temporarily unavailable
C: RETR 2
S: -ERR [SYS/PERM] message unavailable
C: LIST 1
S: -ERR [SYS/TEMP] message temporarily unavailable
C: UIDL 2
S: -ERR [SYS/PERM] message unavailable
expect state TRANSACTION
