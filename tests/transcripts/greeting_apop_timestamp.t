# With APOP enabled the greeting ends with the host's timestamp after one
# space.  RFC 1939 s7 (APOP), docs/replies.md "Greeting".
conn apop=<1896.697170952@dbc.mtview.ca.us>
S: +OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>
C: QUIT
S: +OK bye
expect closed
