# A response to a challenge is an AUTH line too: 402 octets are accepted
# (max_auth_line, not max_line), a response longer than max_auth_line is
# "-ERR line too long" and ends the exchange - the next line is a command
# again, not a response.  POP3-BEHAVIOUR.md "Command syntax" (overlong
# lines discarded, never split), pop3.h pop3_config.max_auth_line.
config max_auth_line=600 max_bad_commands_auth=4
conn protected
user tim secret=Tr0ub4dor&3-Tr0ub4dor&3-Tr0ub4dor&3-Tr0ub4dor&3-Tr0ub4dor&3-Tr0ub4dor&3-Tr0ub4dor&3-Tr0ub4dor&3-Tr0ub4dor&3-Tr0ub4dor&3-Tr0ub4dor&3-Tr0ub4dor&3-Tr0ub4dor&3-Tr0ub4dor&3-Tr0ub4dor&3-Tr0ub4dor&3-Tr0ub4dor&3-Tr0ub4dor&3-Tr0ub4dor&3-Tr0ub4dor&3-Tr0ub4dor&3-Tr0ub4dor&3-Tr0ub4dor&3-Tr0ub4dor&3-Tr0ub4dor&3-
S: +OK POP3 server ready
C: AUTH LOGIN dGlt
S: + UGFzc3dvcmQ6
C: VHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9y
S: -ERR line too long
expect auth-calls 0
expect user none
C: dGFuc3RhYWZ0YW5zdGFhZg==
S: -ERR unknown command
C: AUTH LOGIN dGlt
S: + UGFzc3dvcmQ6
C: VHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMtVHIwdWI0ZG9yJjMt
S: +OK maildrop has 0 messages (0 octets)
