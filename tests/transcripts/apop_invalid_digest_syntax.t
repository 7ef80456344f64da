# A digest that is not 32 hex digits is "-ERR invalid APOP digest", a bad
# command (not a failed login): too short, too long, not hex.
# docs/replies.md "AUTHORIZATION".
config max_bad_commands_auth=0 max_auth_failures=1
conn apop=<1896.697170952@dbc.mtview.ca.us>
user mrose secret=tanstaaf
msg mrose "From: rose@example.org\r\nSubject: hi\r\n\r\nhello\r\n"
msg mrose "Subject: two\n\n.dotted\n"
S: +OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>
C: APOP mrose c4c9334bac560ecc979e58001b3e22f
S: -ERR invalid APOP digest
C: APOP mrose c4c9334bac560ecc979e58001b3e22fbb
S: -ERR invalid APOP digest
C: APOP mrose g4c9334bac560ecc979e58001b3e22fb
S: -ERR invalid APOP digest
expect open
C: APOP mrose c4c9334bac560ecc979e58001b3e22fb
S: +OK maildrop has 2 messages (71 octets)
