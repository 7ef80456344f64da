# A refused bearer token is a failed login from the moment the host refuses
# it - not only once the client answers the error challenge - so a client
# that hangs up instead (curl's XOAUTH2 does) is still counted and reported
# (POP3_EV_AUTH, pop3_stats.auth_failures): token guessing stays visible.
# docs/security.md "Brute force".
config sasl_mechs=XOAUTH2
conn protected
user someuser@example.com
token a-different-token user=someuser@example.com
S: +OK POP3 server ready
C: AUTH XOAUTH2 dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52YjNSbGNrQmhiSFJoZG1semRHRXVZMjl0Q2cBAQ==
S: + eyJzdGF0dXMiOiJpbnZhbGlkX3Rva2VuIn0=
expect logins-failed 1
expect logins-ok 0
EOF
expect closed
expect logins-failed 1
