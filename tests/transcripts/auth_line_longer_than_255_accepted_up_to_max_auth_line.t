# AUTH lines (the command with its initial response, and each response)
# have their own limit, max_auth_line, not the 255-octet command limit: a
# 601-octet "AUTH PLAIN ..." line (CRLF included) is accepted with
# max_auth_line=601, a 605-octet one is "-ERR line too long" (a bad
# command, never split, never echoed).  RFC 5034 s4 (no length limit on
# AUTH lines), POP3-BEHAVIOUR.md "Command syntax", pop3.h
# pop3_config.max_auth_line.  The password is 436 characters:
#   tools/sasl_gen.py plain '' tim PASSWORD
config max_auth_line=601
conn protected
user tim secret=Correct-Horse-Battery-Staple-Correct-Horse-Battery-Staple-Correct-Horse-Battery-Staple-Correct-Horse-Battery-Staple-Correct-Horse-Battery-Staple-Correct-Horse-Battery-Staple-Correct-Horse-Battery-Staple-Correct-Horse-Battery-Staple-Correct-Horse-Battery-Staple-Correct-Horse-Battery-Staple-Correct-Horse-Battery-Staple-Correct-Horse-Battery-Staple-Correct-Horse-Battery-Staple-Correct-Horse-Battery-Staple-Correct-Horse-Battery-Staple-C
S: +OK POP3 server ready
C: AUTH PLAIN AHRpbQBDb3JyZWN0LUhvcnNlLUJhdHRlcnktU3RhcGxlLUNvcnJlY3QtSG9yc2UtQmF0dGVyeS1TdGFwbGUtQ29ycmVjdC1Ib3JzZS1CYXR0ZXJ5LVN0YXBsZS1Db3JyZWN0LUhvcnNlLUJhdHRlcnktU3RhcGxlLUNvcnJlY3QtSG9yc2UtQmF0dGVyeS1TdGFwbGUtQ29ycmVjdC1Ib3JzZS1CYXR0ZXJ5LVN0YXBsZS1Db3JyZWN0LUhvcnNlLUJhdHRlcnktU3RhcGxlLUNvcnJlY3QtSG9yc2UtQmF0dGVyeS1TdGFwbGUtQ29ycmVjdC1Ib3JzZS1CYXR0ZXJ5LVN0YXBsZS1Db3JyZWN0LUhvcnNlLUJhdHRlcnktU3RhcGxlLUNvcnJlY3QtSG9yc2UtQmF0dGVyeS1TdGFwbGUtQ29ycmVjdC1Ib3JzZS1CYXR0ZXJ5LVN0YXBsZS1Db3JyZWN0LUhvcnNlLUJhdHRlcnktU3RhcGxlLUNvcnJlY3QtSG9yc2UtQmF0dGVyeS1TdGFwbGUtQ29ycmVjdC1Ib3JzZS1CYXR0ZXJ5LVN0YXBsZS1DeHl6
S: -ERR line too long
expect limit LINE_LENGTH
expect auth-calls 0
C: AUTH PLAIN AHRpbQBDb3JyZWN0LUhvcnNlLUJhdHRlcnktU3RhcGxlLUNvcnJlY3QtSG9yc2UtQmF0dGVyeS1TdGFwbGUtQ29ycmVjdC1Ib3JzZS1CYXR0ZXJ5LVN0YXBsZS1Db3JyZWN0LUhvcnNlLUJhdHRlcnktU3RhcGxlLUNvcnJlY3QtSG9yc2UtQmF0dGVyeS1TdGFwbGUtQ29ycmVjdC1Ib3JzZS1CYXR0ZXJ5LVN0YXBsZS1Db3JyZWN0LUhvcnNlLUJhdHRlcnktU3RhcGxlLUNvcnJlY3QtSG9yc2UtQmF0dGVyeS1TdGFwbGUtQ29ycmVjdC1Ib3JzZS1CYXR0ZXJ5LVN0YXBsZS1Db3JyZWN0LUhvcnNlLUJhdHRlcnktU3RhcGxlLUNvcnJlY3QtSG9yc2UtQmF0dGVyeS1TdGFwbGUtQ29ycmVjdC1Ib3JzZS1CYXR0ZXJ5LVN0YXBsZS1Db3JyZWN0LUhvcnNlLUJhdHRlcnktU3RhcGxlLUNvcnJlY3QtSG9yc2UtQmF0dGVyeS1TdGFwbGUtQ29ycmVjdC1Ib3JzZS1CYXR0ZXJ5LVN0YXBsZS1D
S: +OK maildrop has 0 messages (0 octets)
expect user tim
