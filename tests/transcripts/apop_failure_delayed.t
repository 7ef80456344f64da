# A failed APOP is a failed authentication: delayed like a failed PASS.
# docs/replies.md "AUTHORIZATION", POP3-BEHAVIOUR.md "Security".
config auth_fail_delay_ms=2000
conn apop=<1896.697170952@dbc.mtview.ca.us>
user mrose secret=tanstaaf
S: +OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>
C: APOP mrose 36e518aef991838656494cb75fd1337e
T: 1999
T: 2000
S: -ERR [AUTH] authentication failed
C: APOP mrose c4c9334bac560ecc979e58001b3e22fb
S: +OK maildrop has 0 messages (0 octets)
