# NOOP, RSET, DELE, LIST, UIDL and TOP are TRANSACTION commands (RFC 1939
# s5, s7): in AUTHORIZATION they are known commands in the wrong state.
config max_bad_commands_auth=0
conn protected
user alice secret=wonderland
msg alice uid=msg-one "From: ann@example.org\r\nSubject: one\r\n\r\nfirst body\r\n"
msg alice uid=msg-two "From: bob@example.org\r\nSubject: two\r\n\r\nsecond\r\nbody\r\n"
msg alice uid=msg-three "Subject: three\n\nbare LF body\n"
S: +OK POP3 server ready
C: NOOP
S: -ERR command not valid in this state
C: RSET
S: -ERR command not valid in this state
C: DELE 1
S: -ERR command not valid in this state
C: LIST
S: -ERR command not valid in this state
C: UIDL
S: -ERR command not valid in this state
C: TOP 1 1
S: -ERR command not valid in this state
expect state AUTHORIZATION
