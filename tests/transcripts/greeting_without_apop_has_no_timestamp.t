# The greeting is "+OK " and the configured text (default "POP3 server
# ready"); without APOP it carries no timestamp.  RFC 1939 s4,
# docs/replies.md "Greeting".
S: +OK POP3 server ready
expect state AUTHORIZATION
expect user none
C: QUIT
S: +OK bye
expect closed
