# AUTH XOAUTH2 (Google/Microsoft): "user=" and "auth=Bearer" fields, the
# token verified by the host, +OK.  docs/security.md "Wiring".
config sasl_mechs=XOAUTH2
conn protected
user someuser@example.com
token ya29.vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg user=someuser@example.com
S: +OK POP3 server ready
C: AUTH XOAUTH2
S: + 
C: dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52YjNSbGNrQmhiSFJoZG1semRHRXVZMjl0Q2cBAQ==
S: +OK maildrop has 0 messages (0 octets)
expect user someuser@example.com
