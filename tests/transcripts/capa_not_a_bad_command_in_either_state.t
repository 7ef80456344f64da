# CAPA is valid in both states (RFC 2449 s5): it never counts as a bad
# command (limits 1 here).
config max_bad_commands_auth=1 max_bad_commands_trans=1 flags=NO_RESP_CODES,NO_PIPELINING
conn protected
user alice secret=wonderland
msg alice uid=msg-one "From: ann@example.org\r\nSubject: one\r\n\r\nfirst body\r\n"
msg alice uid=msg-two "From: bob@example.org\r\nSubject: two\r\n\r\nsecond\r\nbody\r\n"
msg alice uid=msg-three "Subject: three\n\nbare LF body\n"
S: +OK POP3 server ready
C: CAPA
S: +OK capability list follows
S: TOP
S: UIDL
S: USER
S: SASL PLAIN LOGIN
S: .
C: USER alice
S: +OK send PASS
C: PASS wonderland
S: +OK maildrop has 3 messages (136 octets)
C: CAPA
S: +OK capability list follows
S: TOP
S: UIDL
S: .
expect state TRANSACTION
