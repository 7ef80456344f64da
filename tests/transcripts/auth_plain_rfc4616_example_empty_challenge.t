# AUTH PLAIN without an initial response: the server sends an empty
# challenge ("+ " alone) and the client answers with the RFC 4616 s4
# example message.  RFC 5034 s4 ("+ " for an empty challenge), RFC 4616 s2,
# docs/replies.md "AUTH".
conn protected
user tim secret=tanstaaftanstaaf
S: +OK POP3 server ready
C: AUTH PLAIN
S: + 
C: AHRpbQB0YW5zdGFhZnRhbnN0YWFm
S: +OK maildrop has 0 messages (0 octets)
expect user tim
