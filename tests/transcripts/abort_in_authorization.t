# An abort before login closes at once; there is nothing to commit and no
# maildrop to close.  pop3.h pop3_session_abort.
conn protected
S: +OK POP3 server ready
C: USER alice
S: +OK send PASS
ABORT
expect closed
expect maildrop-close none
expect close-reason ABORT
