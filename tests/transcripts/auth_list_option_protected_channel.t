# AUTH_LIST on a protected channel lists every configured mechanism, in
# the order of CAPA's SASL line.  docs/replies.md "AUTH", "CAPA".
config flags=AUTH_LIST sasl_mechs=PLAIN,LOGIN,SCRAM-SHA-256,OAUTHBEARER
conn protected
S: +OK POP3 server ready
C: AUTH
S: +OK SASL mechanisms follow
S: PLAIN
S: LOGIN
S: SCRAM-SHA-256
S: OAUTHBEARER
S: .
C: CAPA
S: +OK capability list follows
S: TOP
S: UIDL
S: USER
S: SASL PLAIN LOGIN SCRAM-SHA-256 OAUTHBEARER
S: RESP-CODES
S: AUTH-RESP-CODE
S: PIPELINING
S: .
