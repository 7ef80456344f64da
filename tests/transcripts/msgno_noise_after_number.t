# Digits followed by anything are "-ERR noise after message number" - never
# read as the leading number (Courier and Mailutils take "1x" as 1).
# POP3-BEHAVIOUR.md "Command syntax", docs/replies.md.
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
C: DELE 1x
S: -ERR noise after message number
C: RETR 1.5
S: -ERR noise after message number
C: LIST 2-
S: -ERR noise after message number
C: TOP 1x 1
S: -ERR noise after message number
C: STAT
S: +OK 3 136
