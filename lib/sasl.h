/*
 * sasl.h - pure parsers and computations of the SASL mechanisms (private).
 *
 * Nothing here touches a session: messages in (already base64-decoded),
 * spans and digests out.  The session (lib/session.c) sequences the
 * exchange; these functions say what a message means.
 */
#ifndef POP3_SASL_H
#define POP3_SASL_H

#include "crypto.h"

#include <stddef.h>

/* A piece of a message: p[0..n).  p may be NULL when n is 0. */
typedef struct pop3__span {
    const char *p;
    size_t n;
} pop3__span;

/* PLAIN (RFC 4616): [authzid] NUL authcid NUL passwd.  authcid and passwd
 * must be non-empty; no further NUL.  0 on success, -1 when malformed. */
int pop3__sasl_plain_parse(const char *m, size_t n, pop3__span *authzid,
                           pop3__span *authcid, pop3__span *passwd);

/* The GS2 header shared by SCRAM and OAUTHBEARER (RFC 5801 §4):
 * ("n" / "y") "," ["a=" saslname] ",".  Channel binding ("p=") is refused:
 * libpop3 does not offer -PLUS mechanisms.  On success *hdr spans the
 * header including its final comma, *authzid the raw saslname (may be
 * empty) and the function returns the header length; -1 when malformed. */
long pop3__gs2_parse(const char *m, size_t n, pop3__span *hdr,
                     pop3__span *authzid);

/* Decode a saslname (RFC 5802 §5.1: "=2C" is ',', "=3D" is '='; any other
 * '=' is an error) into out[0..cap).  Returns the length, or -1. */
long pop3__saslname_decode(const char *in, size_t n, char *out, size_t cap);

/* SCRAM client-first-message (RFC 5802 §7). */
typedef struct pop3__scram_first {
    pop3__span gs2;             /* GS2 header with its final comma */
    pop3__span authzid;         /* raw saslname, may be empty */
    pop3__span bare;            /* client-first-message-bare */
    pop3__span user;            /* raw saslname of n= */
    pop3__span cnonce;          /* value of r= */
} pop3__scram_first;
int pop3__scram_parse_first(const char *m, size_t n, pop3__scram_first *f);

/* SCRAM client-final-message. */
typedef struct pop3__scram_final {
    pop3__span cbind;           /* value of c= (base64) */
    pop3__span nonce;           /* value of r= */
    pop3__span without_proof;   /* client-final-message-without-proof */
    pop3__span proof;           /* value of p= (base64) */
} pop3__scram_final;
int pop3__scram_parse_final(const char *m, size_t n, pop3__scram_final *f);

/* StoredKey and ServerKey from a password (RFC 5802 §3). */
int pop3__scram_keys(pop3__hash_kind kind, const void *password, size_t plen,
                     const void *salt, size_t slen, uint32_t iterations,
                     unsigned char *stored_key, unsigned char *server_key);

/* Verify ClientProof over AuthMessage = first_bare "," server_first ","
 * final_without_proof (constant time), and compute ServerSignature into
 * sig.  Returns 1 if the proof is right, 0 if not. */
int pop3__scram_verify(pop3__hash_kind kind, const unsigned char *stored_key,
                       const unsigned char *server_key,
                       pop3__span first_bare, pop3__span server_first,
                       pop3__span final_without_proof,
                       const unsigned char *proof, size_t proof_len,
                       unsigned char *sig);

/* server-first-message (RFC 5802 §7): "r=" cnonce snonce ",s=" base64(salt)
 * ",i=" iterations, into out (room for 2 + cnonce + snonce + 3 +
 * 4*ceil(salt/3) + 3 + 10).  Returns its length. */
size_t pop3__scram_server_first(pop3__span cnonce, pop3__span snonce,
                                const unsigned char *salt, size_t salt_len,
                                uint32_t iterations, char *out);

/* OAUTHBEARER (RFC 7628 §3.1): gs2-header kvsep *(key=value kvsep) kvsep,
 * kvsep = 0x01; the "auth" value must be "Bearer " token (scheme case-
 * insensitive).  *authzid is the raw saslname (may be empty). */
int pop3__oauthbearer_parse(const char *m, size_t n, pop3__span *authzid,
                            pop3__span *token);

/* XOAUTH2: "user=" user 0x01 "auth=Bearer " token 0x01 0x01. */
int pop3__xoauth2_parse(const char *m, size_t n, pop3__span *user,
                        pop3__span *token);

/* Map random octets onto printable nonce characters (A-Z a-z 0-9 + /,
 * never ','), in place semantics: out[i] from rnd[i]. */
void pop3__nonce_chars(const unsigned char *rnd, size_t n, char *out);

#endif
