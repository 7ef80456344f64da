# AUTH is an AUTHORIZATION command (RFC 5034 s4): after login it is "-ERR
# command not valid in this state" and CAPA has no SASL line.
conn protected
user tim secret=tanstaaftanstaaf
S: +OK POP3 server ready
C: AUTH PLAIN AHRpbQB0YW5zdGFhZnRhbnN0YWFm
S: +OK maildrop has 0 messages (0 octets)
C: AUTH PLAIN AHRpbQB0YW5zdGFhZnRhbnN0YWFm
S: -ERR command not valid in this state
C: AUTH
S: -ERR command not valid in this state
expect state TRANSACTION
