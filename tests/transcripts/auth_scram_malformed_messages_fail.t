# SCRAM client-first messages the server must refuse, each a failed login
# without asking the host: channel binding requested ("p=", not offered,
# docs/security.md), and an authorization identity without
# POP3_CFG_ALLOW_AUTHZID.  RFC 5802 s5.1 and s7.
config sasl_mechs=SCRAM-SHA-1 max_auth_failures=0
user user secret=pencil salt=QSXCR+Q6sek8bf92
user admin secret=admin-pw salt=QSXCR+Q6sek8bf92
S: +OK POP3 server ready
# p=tls-unique,,n=user,r=fyko+d2lbbFgONRv9qkxdawL
C: AUTH SCRAM-SHA-1 cD10bHMtdW5pcXVlLCxuPXVzZXIscj1meWtvK2QybGJiRmdPTlJ2OXFreGRhd0w=
S: -ERR [AUTH] authentication failed
# n,a=admin,n=user,r=fyko+d2lbbFgONRv9qkxdawL
C: AUTH SCRAM-SHA-1 bixhPWFkbWluLG49dXNlcixyPWZ5a28rZDJsYmJGZ09OUnY5cWt4ZGF3TA==
S: -ERR [AUTH] authentication failed
expect auth-calls 0
