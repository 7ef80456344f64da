# AUTH PLAIN with an initial response: the RFC 4616 s4 example ("tim",
# password "tanstaaftanstaaf", no authzid) logs in; the same check as
# USER/PASS.  RFC 5034 s4, RFC 4616 s2/s4, docs/replies.md "AUTH".
conn protected
user tim secret=tanstaaftanstaaf
msg tim "Subject: hi\r\n\r\nhello\r\n"
S: +OK POP3 server ready
C: AUTH PLAIN AHRpbQB0YW5zdGFhZnRhbnN0YWFm
S: +OK maildrop has 1 message (22 octets)
expect state TRANSACTION
expect user tim
C: QUIT
S: +OK bye, 0 messages deleted
