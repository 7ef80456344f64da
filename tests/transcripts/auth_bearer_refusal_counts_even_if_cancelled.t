# Once the host has refused a bearer token, the exchange has failed: the
# error challenge only waits for the client's reply (RFC 7628 s3.2.2: the
# server then fails the exchange).  A client that answers it with "*"
# instead of the dummy response must not escape the failure: it is counted
# (and delayed) like every refused credential, or token guessing would be
# free of the per-connection limit and the delay.  docs/security.md
# "Brute force" ("every SASL mechanism"), docs/replies.md "AUTH".
config sasl_mechs=XOAUTH2,OAUTHBEARER max_auth_failures=2
conn protected
user someuser@example.com
token the-only-good-token user=someuser@example.com
S: +OK POP3 server ready
C: AUTH XOAUTH2 dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52YjNSbGNrQmhiSFJoZG1semRHRXVZMjl0Q2cBAQ==
S: + eyJzdGF0dXMiOiJpbnZhbGlkX3Rva2VuIn0=
C: *
S: -ERR [AUTH] authentication failed
C: AUTH OAUTHBEARER bixhPXVzZXJAZXhhbXBsZS5jb20sAWhvc3Q9c2VydmVyLmV4YW1wbGUuY29tAXBvcnQ9MTQzAWF1dGg9QmVhcmVyIHZGOWRmdDRxbVRjMk52YjNSbGNrQmhiSFJoZG1semRHRXVZMjl0Q2c9PQEB
S: + eyJzdGF0dXMiOiJpbnZhbGlkX3Rva2VuIn0=
C: *
S: -ERR [AUTH] authentication failed, closing
expect closed
expect limit AUTH_FAILURES
