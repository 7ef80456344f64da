# AUTH EXTERNAL without an initial response: an empty challenge, the client
# sends an empty response (no authorization identity), the host's
# identity logs in.  RFC 4422 appendix A, RFC 5034 s4.
config sasl_mechs=EXTERNAL
external alice
user alice
S: +OK POP3 server ready
C: AUTH EXTERNAL
S: + 
C:
S: +OK maildrop has 0 messages (0 octets)
expect user alice
