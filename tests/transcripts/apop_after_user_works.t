# APOP after a USER is fine (the USER name is simply forgotten).
# RFC 1939 s7.
config flags=ALLOW_PLAINTEXT
conn apop=<1896.697170952@dbc.mtview.ca.us>
user mrose secret=tanstaaf
msg mrose "From: rose@example.org\r\nSubject: hi\r\n\r\nhello\r\n"
msg mrose "Subject: two\n\n.dotted\n"
S: +OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>
C: USER someone
S: +OK send PASS
C: APOP mrose c4c9334bac560ecc979e58001b3e22fb
S: +OK maildrop has 2 messages (71 octets)
expect user mrose
