# A known command with the wrong number of arguments: "-ERR usage: <usage>"
# with the command's own usage string.  RFC 1939 s3, s5, s7,
# docs/replies.md (usage strings).
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
C: STAT 1
S: -ERR usage: STAT
C: LIST 1 2
S: -ERR usage: LIST [msg]
C: RETR
S: -ERR usage: RETR msg
C: RETR 1 2
S: -ERR usage: RETR msg
C: DELE
S: -ERR usage: DELE msg
C: NOOP now
S: -ERR usage: NOOP
C: RSET all
S: -ERR usage: RSET
C: TOP 1
S: -ERR usage: TOP msg lines
C: TOP 1 2 3
S: -ERR usage: TOP msg lines
C: UIDL 1 2
S: -ERR usage: UIDL [msg]
C: CAPA all
S: -ERR usage: CAPA
C: QUIT now
S: -ERR usage: QUIT
expect state TRANSACTION
expect no-commit
