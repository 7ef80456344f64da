# A host may verify the password itself and answer OK or DENIED (instead of
# handing the secret to the library).  pop3.h pop3_auth_answer.
conn protected
user bob password=builder verify
S: +OK POP3 server ready
C: USER bob
S: +OK send PASS
C: PASS plumber
S: -ERR [AUTH] authentication failed
C: USER bob
S: +OK send PASS
C: PASS builder
S: +OK maildrop has 0 messages (0 octets)
expect state TRANSACTION
C: STAT
S: +OK 0 0
C: LIST
S: +OK 0 messages (0 octets)
S: .
