# Without a timestamp in the greeting APOP cannot work: "-ERR APOP not
# available", a bad command.  RFC 1939 s7, docs/replies.md.
conn protected
user mrose secret=tanstaaf
S: +OK POP3 server ready
C: APOP mrose c4c9334bac560ecc979e58001b3e22fb
S: -ERR APOP not available
C: APOP mrose c4c9334bac560ecc979e58001b3e22fb
S: -ERR APOP not available
C: APOP mrose c4c9334bac560ecc979e58001b3e22fb
S: -ERR too many bad commands, closing
expect closed
