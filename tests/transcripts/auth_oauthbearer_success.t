# AUTH OAUTHBEARER with the RFC 7628 s4.1 example initial response
# (a=user@example.com, host, port, auth=Bearer token): the token goes to
# the host, which names the user; +OK at once.  A bearer token is a
# reusable credential, so the channel must be protected.  RFC 7628 s3.1,
# docs/security.md "Wiring".
config sasl_mechs=OAUTHBEARER
conn protected
user user@example.com
token vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg== user=user@example.com
S: +OK POP3 server ready
C: AUTH OAUTHBEARER bixhPXVzZXJAZXhhbXBsZS5jb20sAWhvc3Q9c2VydmVyLmV4YW1wbGUuY29tAXBvcnQ9MTQzAWF1dGg9QmVhcmVyIHZGOWRmdDRxbVRjMk52YjNSbGNrQmhiSFJoZG1semRHRXVZMjl0Q2c9PQEB
S: +OK maildrop has 0 messages (0 octets)
expect user user@example.com
expect state TRANSACTION
