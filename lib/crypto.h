/*
 * crypto.h - hashes, HMAC, PBKDF2 and base64 for the SASL mechanisms.
 * Not installed.  Every name carries the pop3__ prefix (see internal.h).
 *
 *   lib/sha.c     SHA-1 and SHA-256 (FIPS 180-4)
 *   lib/hmac.c    one interface over MD5/SHA-1/SHA-256, HMAC (RFC 2104)
 *                 and PBKDF2 (RFC 8018 §5.2, formerly RFC 2898)
 *   lib/base64.c  base64, RFC 4648 §4: standard alphabet, padded, strict
 *
 * This header needs the MD5 declarations and pop3__wipe() of internal.h
 * and includes it itself, so it may be included on its own or from
 * internal.h; internal.h must include it only after its MD5 section.
 *
 * Secrets.  Every final()/one-shot function wipes its context (and every
 * secret-dependent intermediate it made) with pop3__wipe() before it
 * returns.  None of these functions allocates; none keeps global state.
 */
#ifndef POP3_CRYPTO_H
#define POP3_CRYPTO_H

#include "internal.h"

#include <stddef.h>
#include <stdint.h>

/* --- SHA-1 and SHA-256 (FIPS 180-4), lib/sha.c ---------------------------
 *
 * Streaming: init, then update any number of times with any chunking
 * (len 0, or data NULL with len 0, changes nothing), then final, which
 * writes the digest and wipes the context.  Call init again to reuse it.
 * The message length is counted modulo 2^64 bits, as the standard says.
 */

#define POP3__SHA1_LEN   20
#define POP3__SHA256_LEN 32

typedef struct pop3__sha1 {
    uint32_t state[5];
    uint64_t length;            /* message length in octets so far */
    unsigned char block[64];
    size_t used;                /* octets buffered in block */
} pop3__sha1;

typedef struct pop3__sha256 {
    uint32_t state[8];
    uint64_t length;
    unsigned char block[64];
    size_t used;
} pop3__sha256;

void pop3__sha1_init(pop3__sha1 *s);
void pop3__sha1_update(pop3__sha1 *s, const void *data, size_t len);
void pop3__sha1_final(pop3__sha1 *s, unsigned char digest[20]);

void pop3__sha256_init(pop3__sha256 *s);
void pop3__sha256_update(pop3__sha256 *s, const void *data, size_t len);
void pop3__sha256_final(pop3__sha256 *s, unsigned char digest[32]);

/* --- One interface over the hashes, lib/hmac.c --------------------------- */

/* Numbered from 1 so that a zeroed struct names no hash. */
typedef enum pop3__hash_kind {
    POP3__HASH_MD5 = 1,
    POP3__HASH_SHA1 = 2,
    POP3__HASH_SHA256 = 3
} pop3__hash_kind;

#define POP3__HASH_MAX_LEN   32 /* largest pop3__hash_len() */
#define POP3__HASH_BLOCK_LEN 64 /* the block size of all three hashes */

/* Digest length in octets: 16, 20 or 32; 0 for an unknown kind. */
size_t pop3__hash_len(pop3__hash_kind kind);

typedef struct pop3__hash_ctx {
    pop3__hash_kind kind;
    union {
        pop3__md5 md5;
        pop3__sha1 sha1;
        pop3__sha256 sha256;
    } u;
} pop3__hash_ctx;

/* Returns POP3_OK, or POP3_E_INVALID (h NULL or kind unknown; then a
 * non-NULL h is marked unusable and update/final do nothing). */
int pop3__hash_init(pop3__hash_ctx *h, pop3__hash_kind kind);
void pop3__hash_update(pop3__hash_ctx *h, const void *data, size_t len);
/* Writes pop3__hash_len(kind) octets to out and wipes h. */
void pop3__hash_final(pop3__hash_ctx *h, unsigned char *out);
/* One shot: out[pop3__hash_len(kind)] = H(data).  POP3_OK or
 * POP3_E_INVALID (unknown kind, out NULL, data NULL with len > 0). */
int pop3__hash(pop3__hash_kind kind, const void *data, size_t len,
               unsigned char *out);

/* --- HMAC (RFC 2104), lib/hmac.c -----------------------------------------
 *
 * The context holds the inner and outer hash states already keyed (the
 * key itself is not kept).  A keyed context may be copied by assignment
 * to MAC several messages under one key; every copy must be finalised or
 * wiped.  final writes the full pop3__hash_len(kind) octets; a truncated
 * MAC (RFC 2104 §5) is the caller's leftmost octets of that.
 */

typedef struct pop3__hmac_ctx {
    pop3__hash_ctx inner;       /* H((K0 ^ ipad) || ...) */
    pop3__hash_ctx outer;       /* H((K0 ^ opad) || ...) */
} pop3__hmac_ctx;

/* Any key length: keys longer than the block (64) are hashed first.
 * key may be NULL when keylen is 0.  Returns POP3_OK or POP3_E_INVALID
 * (ctx NULL, kind unknown, key NULL with keylen > 0); on failure a
 * non-NULL ctx is marked unusable. */
int pop3__hmac_init(pop3__hmac_ctx *ctx, pop3__hash_kind kind,
                    const void *key, size_t keylen);
void pop3__hmac_update(pop3__hmac_ctx *ctx, const void *data, size_t len);
/* Writes pop3__hash_len(kind) octets to out and wipes ctx. */
void pop3__hmac_final(pop3__hmac_ctx *ctx, unsigned char *out);
/* One shot.  POP3_OK or POP3_E_INVALID (as init, or out NULL, or data
 * NULL with len > 0). */
int pop3__hmac(pop3__hash_kind kind, const void *key, size_t keylen,
               const void *data, size_t len, unsigned char *out);

/* --- PBKDF2 (RFC 8018 §5.2) with HMAC-kind as the PRF, lib/hmac.c ---------
 *
 * out[0..outlen) = PBKDF2(password, salt, iterations, outlen).  SCRAM's
 * Hi(str, salt, i) (RFC 5802 §2.2) is this with outlen = pop3__hash_len.
 * Returns POP3_OK, or POP3_E_INVALID with out untouched when kind is
 * unknown, iterations is 0, outlen is 0 or over (2^32 - 1) * hLen, out is
 * NULL, or password/salt is NULL with a non-zero length.
 * Cost: 2 * iterations * ceil(outlen / hLen) hash compressions, plus a
 * few; the caller bounds iterations (a peer may choose it in SCRAM).
 */
int pop3__pbkdf2(pop3__hash_kind kind,
                 const void *password, size_t plen,
                 const void *salt, size_t slen,
                 uint32_t iterations,
                 unsigned char *out, size_t outlen);

/* --- base64 (RFC 4648 §4), lib/base64.c ----------------------------------
 *
 * Standard alphabet A-Z a-z 0-9 + /, '=' padding to a multiple of 4.
 * Character classification and conversion use no table indexed by the
 * data and no data-dependent branch, so decoding a password does not leak
 * it through timing; only the validity verdict and the lengths are public.
 */

/* Characters pop3__base64_encode writes for n octets: 4 * ceil(n / 3).
 * 0 when n is 0, or when the result would not fit in a size_t. */
size_t pop3__base64_encoded_len(size_t n);

/* Most octets a decode of n characters can give: (n / 4) * 3. */
size_t pop3__base64_decoded_max(size_t n);

/* Writes exactly pop3__base64_encoded_len(n) characters to out, with NO
 * terminating NUL, and returns that count.  out must not overlap in.
 * in may be NULL when n is 0.  Returns 0 and writes nothing if the length
 * would overflow (or in/out is NULL with n > 0). */
size_t pop3__base64_encode(const void *in, size_t n, char *out);

enum pop3__b64_status {
    POP3__B64_OK = 0,
    POP3__B64_E_LENGTH = -1,    /* n not a multiple of 4 (missing padding,
                                   truncated or extra characters) */
    POP3__B64_E_CHAR = -2,      /* an octet outside the alphabet and not
                                   '=': whitespace, CR, LF, NUL, '-', '_',
                                   8-bit octets... */
    POP3__B64_E_PAD = -3,       /* '=' other than as the last one or two
                                   characters (excess padding, padding in
                                   the middle, "====") */
    POP3__B64_E_BITS = -4,      /* non-canonical: the bits the padding
                                   discards are not zero ("Zh==") */
    POP3__B64_E_SPACE = -5,     /* outcap too small; *outlen = the size
                                   needed */
    POP3__B64_E_INVALID = -6    /* outlen NULL, in NULL with n > 0, or out
                                   NULL with output to write */
};

/* Decode in[0..n) into out[0..outcap).  Strict (RFC 4648 §3.3, §3.5): any
 * violation is an error, and empty input decodes to nothing (POP3__B64_OK,
 * *outlen 0).  Returns POP3__B64_OK with *outlen = octets written, or a
 * negative pop3__b64_status with *outlen 0 (E_SPACE: the size needed) and
 * out untouched: the whole input is validated before any octet is written.
 * When several rules are broken, the first of LENGTH, CHAR, PAD, BITS,
 * SPACE is reported.
 *
 * In place: out may equal in (or lie before it in the same buffer): each
 * group of 4 characters is read before the (at most 3) octets it gives
 * are written, and those never reach a character not yet read.  On error
 * the buffer is left as it was.  Any other overlap is undefined. */
int pop3__base64_decode(const char *in, size_t n, void *out, size_t outcap,
                        size_t *outlen);

#endif
