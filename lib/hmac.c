/*
 * hmac.c - one interface over MD5, SHA-1 and SHA-256; HMAC (RFC 2104);
 * PBKDF2 (RFC 8018 §5.2, unchanged from RFC 2898 §5.2).
 *
 * Written from the text of RFC 2104 and RFC 8018.  All three hashes have
 * a 64-octet block, so B = 64 throughout (RFC 2104 §2).
 */
#include "crypto.h"

#include <string.h>

/* ------------------------------------------------------------------------
 * Hashes
 * ---------------------------------------------------------------------- */

size_t pop3__hash_len(pop3__hash_kind kind)
{
    switch (kind) {
    case POP3__HASH_MD5:
        return 16;
    case POP3__HASH_SHA1:
        return POP3__SHA1_LEN;
    case POP3__HASH_SHA256:
        return POP3__SHA256_LEN;
    }
    return 0;
}

int pop3__hash_init(pop3__hash_ctx *h, pop3__hash_kind kind)
{
    if (h == NULL)
        return POP3_E_INVALID;
    h->kind = kind;
    switch (kind) {
    case POP3__HASH_MD5:
        pop3__md5_init(&h->u.md5);
        return POP3_OK;
    case POP3__HASH_SHA1:
        pop3__sha1_init(&h->u.sha1);
        return POP3_OK;
    case POP3__HASH_SHA256:
        pop3__sha256_init(&h->u.sha256);
        return POP3_OK;
    }
    memset(h, 0, sizeof *h);    /* kind 0: no hash, update/final ignore it */
    return POP3_E_INVALID;
}

void pop3__hash_update(pop3__hash_ctx *h, const void *data, size_t len)
{
    if (h == NULL)
        return;
    switch (h->kind) {
    case POP3__HASH_MD5:
        pop3__md5_update(&h->u.md5, data, len);
        break;
    case POP3__HASH_SHA1:
        pop3__sha1_update(&h->u.sha1, data, len);
        break;
    case POP3__HASH_SHA256:
        pop3__sha256_update(&h->u.sha256, data, len);
        break;
    }
}

void pop3__hash_final(pop3__hash_ctx *h, unsigned char *out)
{
    if (h == NULL)
        return;
    if (out != NULL) {
        switch (h->kind) {
        case POP3__HASH_MD5:
            pop3__md5_final(&h->u.md5, out);
            break;
        case POP3__HASH_SHA1:
            pop3__sha1_final(&h->u.sha1, out);
            break;
        case POP3__HASH_SHA256:
            pop3__sha256_final(&h->u.sha256, out);
            break;
        }
    }
    pop3__wipe(h, sizeof *h);
}

int pop3__hash(pop3__hash_kind kind, const void *data, size_t len,
               unsigned char *out)
{
    pop3__hash_ctx h;

    if (out == NULL || (data == NULL && len > 0))
        return POP3_E_INVALID;
    if (pop3__hash_init(&h, kind) != POP3_OK)
        return POP3_E_INVALID;
    pop3__hash_update(&h, data, len);
    pop3__hash_final(&h, out);          /* wipes h */
    return POP3_OK;
}

/* ------------------------------------------------------------------------
 * HMAC, RFC 2104 §2:
 *   H(K XOR opad, H(K XOR ipad, text))
 * where K is the key zero-padded to B octets, or H(key) zero-padded when
 * the key is longer than B.
 * ---------------------------------------------------------------------- */

#define HMAC_IPAD 0x36u
#define HMAC_OPAD 0x5cu

int pop3__hmac_init(pop3__hmac_ctx *ctx, pop3__hash_kind kind,
                    const void *key, size_t keylen)
{
    unsigned char k0[POP3__HASH_BLOCK_LEN];
    unsigned char pad[POP3__HASH_BLOCK_LEN];
    size_t i;

    if (ctx == NULL)
        return POP3_E_INVALID;
    if (pop3__hash_len(kind) == 0 || (key == NULL && keylen > 0)) {
        memset(ctx, 0, sizeof *ctx);
        return POP3_E_INVALID;
    }

    /* K0 (RFC 2104 §2 steps (1) and the note on long keys). */
    memset(k0, 0, sizeof k0);
    if (keylen > sizeof k0)
        (void)pop3__hash(kind, key, keylen, k0);
    else if (keylen > 0)
        memcpy(k0, key, keylen);

    for (i = 0; i < sizeof pad; i++)
        pad[i] = (unsigned char)(k0[i] ^ HMAC_IPAD);
    (void)pop3__hash_init(&ctx->inner, kind);
    pop3__hash_update(&ctx->inner, pad, sizeof pad);

    for (i = 0; i < sizeof pad; i++)
        pad[i] = (unsigned char)(k0[i] ^ HMAC_OPAD);
    (void)pop3__hash_init(&ctx->outer, kind);
    pop3__hash_update(&ctx->outer, pad, sizeof pad);

    pop3__wipe(k0, sizeof k0);
    pop3__wipe(pad, sizeof pad);
    return POP3_OK;
}

void pop3__hmac_update(pop3__hmac_ctx *ctx, const void *data, size_t len)
{
    if (ctx == NULL)
        return;
    pop3__hash_update(&ctx->inner, data, len);
}

void pop3__hmac_final(pop3__hmac_ctx *ctx, unsigned char *out)
{
    unsigned char ih[POP3__HASH_MAX_LEN];
    size_t n;

    if (ctx == NULL)
        return;
    n = pop3__hash_len(ctx->inner.kind);
    if (n == 0 || out == NULL) {
        pop3__wipe(ctx, sizeof *ctx);
        return;
    }

    pop3__hash_final(&ctx->inner, ih);          /* wipes inner */
    pop3__hash_update(&ctx->outer, ih, n);
    pop3__hash_final(&ctx->outer, out);         /* wipes outer */

    pop3__wipe(ih, sizeof ih);
    pop3__wipe(ctx, sizeof *ctx);
}

int pop3__hmac(pop3__hash_kind kind, const void *key, size_t keylen,
               const void *data, size_t len, unsigned char *out)
{
    pop3__hmac_ctx ctx;

    if (out == NULL || (data == NULL && len > 0))
        return POP3_E_INVALID;
    if (pop3__hmac_init(&ctx, kind, key, keylen) != POP3_OK)
        return POP3_E_INVALID;
    pop3__hmac_update(&ctx, data, len);
    pop3__hmac_final(&ctx, out);                /* wipes ctx */
    return POP3_OK;
}

/* ------------------------------------------------------------------------
 * PBKDF2, RFC 8018 §5.2:
 *   DK = T_1 || T_2 || ... || T_l   (the last one truncated)
 *   T_i = U_1 ^ U_2 ^ ... ^ U_c
 *   U_1 = PRF(P, S || INT(i)),  U_j = PRF(P, U_{j-1})
 * The password is keyed once; each PRF call starts from a copy of that
 * keyed context.
 * ---------------------------------------------------------------------- */

int pop3__pbkdf2(pop3__hash_kind kind,
                 const void *password, size_t plen,
                 const void *salt, size_t slen,
                 uint32_t iterations,
                 unsigned char *out, size_t outlen)
{
    pop3__hmac_ctx keyed, work;
    unsigned char u[POP3__HASH_MAX_LEN];
    unsigned char t[POP3__HASH_MAX_LEN];
    size_t hlen = pop3__hash_len(kind);
    size_t done = 0;
    uint32_t block = 0;

    if (hlen == 0 || iterations == 0 || out == NULL || outlen == 0
        || (password == NULL && plen > 0) || (salt == NULL && slen > 0))
        return POP3_E_INVALID;
    /* §5.2 step 1: dkLen > (2^32 - 1) * hLen is "derived key too long".
     * Written as a division so that it cannot overflow. */
    if ((outlen - 1) / hlen >= (size_t)0xffffffffUL)
        return POP3_E_INVALID;

    if (pop3__hmac_init(&keyed, kind, password, plen) != POP3_OK)
        return POP3_E_INVALID;

    while (done < outlen) {
        unsigned char be[4];
        size_t take = outlen - done < hlen ? outlen - done : hlen;
        uint32_t j;
        size_t k;

        block++;                    /* 1, 2, ...: INT(i), big-endian */
        be[0] = (unsigned char)((block >> 24) & 0xffu);
        be[1] = (unsigned char)((block >> 16) & 0xffu);
        be[2] = (unsigned char)((block >> 8) & 0xffu);
        be[3] = (unsigned char)(block & 0xffu);

        work = keyed;
        pop3__hmac_update(&work, salt, slen);
        pop3__hmac_update(&work, be, sizeof be);
        pop3__hmac_final(&work, u);
        memcpy(t, u, hlen);

        for (j = 1; j < iterations; j++) {
            work = keyed;
            pop3__hmac_update(&work, u, hlen);
            pop3__hmac_final(&work, u);
            for (k = 0; k < hlen; k++)
                t[k] ^= u[k];
        }

        memcpy(out + done, t, take);
        done += take;
    }

    pop3__wipe(&keyed, sizeof keyed);
    pop3__wipe(&work, sizeof work);
    pop3__wipe(u, sizeof u);
    pop3__wipe(t, sizeof t);
    return POP3_OK;
}
