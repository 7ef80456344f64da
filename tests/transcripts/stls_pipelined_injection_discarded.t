# STARTTLS command injection (CVE-2011-0411): commands pipelined after STLS
# in the same plaintext read are discarded, never executed - not before the
# handshake and not after it.  After TLS the injected USER is unknown to the
# session, so PASS is "-ERR send USER first".  RFC 2595 s4 ("the server
# MUST discard any knowledge obtained from the client"), docs/security.md,
# POP3-BEHAVIOUR.md "STLS".
conn tls-available
user alice secret=wonderland
msg alice "Subject: x\r\n\r\nbody\r\n"
S: +OK POP3 server ready
C= "STLS\r\nUSER alice\r\nPASS injected-password\r\nDELE 1\r\nQUIT\r\n"
S: +OK begin TLS negotiation
TLS: ok
expect open
expect auth-calls 0
C: PASS wonderland
S: -ERR send USER first
expect auth-calls 0
C: USER alice
S: +OK send PASS
C: PASS wonderland
S: +OK maildrop has 1 message (20 octets)
C: QUIT
S: +OK bye, 0 messages deleted
expect commit nothing
