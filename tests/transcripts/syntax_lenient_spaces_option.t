# POP3_CFG_LENIENT_SPACES: TAB separates arguments, runs of separators and
# trailing ones are accepted.  pop3.h.
config flags=LENIENT_SPACES
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
C: LIST  1
S: +OK 1 51
C= "LIST\t2\r\n"
S: +OK 2 53
C: LIST 3 
S: +OK 3 32
C= "TOP \t1  0 \r\n"
S: +OK top of message follows
S: From: ann@example.org
S: Subject: one
S:
S: .
