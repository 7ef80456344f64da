# The plaintext refusal is not a bad command (docs/replies.md marks bad
# commands explicitly): repeated attempts do not close the session.
user alice secret=wonderland
S: +OK POP3 server ready
C: USER alice
S: -ERR plaintext login not allowed on this channel
C: USER alice
S: -ERR plaintext login not allowed on this channel
C: USER alice
S: -ERR plaintext login not allowed on this channel
C: USER alice
S: -ERR plaintext login not allowed on this channel
expect open
