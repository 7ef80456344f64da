# XOAUTH2 with a refused token: the JSON error goes out as a challenge (the
# library's default {"status":"invalid_token"} when the host gives none),
# the client answers with an empty line, then "-ERR [AUTH] authentication
# failed", counted like any failed login.  docs/replies.md "AUTH".
config sasl_mechs=XOAUTH2 max_auth_failures=2
conn protected
user someuser@example.com
token a-different-token user=someuser@example.com
S: +OK POP3 server ready
C: AUTH XOAUTH2 dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52YjNSbGNrQmhiSFJoZG1semRHRXVZMjl0Q2cBAQ==
S: + eyJzdGF0dXMiOiJpbnZhbGlkX3Rva2VuIn0=
C:
S: -ERR [AUTH] authentication failed
C: AUTH XOAUTH2 dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52YjNSbGNrQmhiSFJoZG1semRHRXVZMjl0Q2cBAQ==
S: + eyJzdGF0dXMiOiJpbnZhbGlkX3Rva2VuIn0=
C:
S: -ERR [AUTH] authentication failed, closing
expect closed
expect limit AUTH_FAILURES
