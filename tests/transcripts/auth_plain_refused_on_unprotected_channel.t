# On a channel that is not protected, the mechanisms that send a reusable
# credential (PLAIN, LOGIN, OAUTHBEARER, XOAUTH2) are refused with "-ERR
# plaintext login not allowed on this channel" - not a failed login and not
# a bad command - while CRAM-MD5 works.  docs/security.md "The plaintext
# policy", docs/replies.md "AUTH".
config sasl_mechs=PLAIN,LOGIN,OAUTHBEARER,XOAUTH2,CRAM-MD5 max_bad_commands_auth=1 max_auth_failures=1
user tim secret=tanstaaftanstaaf
S: +OK POP3 server ready
C: AUTH PLAIN AHRpbQB0YW5zdGFhZnRhbnN0YWFm
S: -ERR plaintext login not allowed on this channel
C: AUTH LOGIN
S: -ERR plaintext login not allowed on this channel
C: AUTH OAUTHBEARER
S: -ERR plaintext login not allowed on this channel
C: AUTH XOAUTH2
S: -ERR plaintext login not allowed on this channel
expect auth-calls 0
expect open
C: AUTH CRAM-MD5
S: + PEFCQ0RFRkdISUpLTE1OT1BRUlNULjBAbG9jYWxob3N0Pg==
C: dGltIGUwMTA4NGE3ZDczZDRkZmUxNmI5NDk4YzI3MjBlMzk2
S: +OK maildrop has 0 messages (0 octets)
