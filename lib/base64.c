/*
 * base64.c - base64 (RFC 4648 §4), standard alphabet, padded, strict.
 *
 * Written from the text of RFC 4648.  The SASL exchanges this serves carry
 * passwords and tokens, so the conversion between characters and 6-bit
 * values is done by arithmetic on masks: no table lookup indexed by the
 * data and no branch on it.  What does depend on the data is only what is
 * public anyway: whether the input is valid, and its lengths.
 *
 * All arithmetic here is on unsigned values below 0x200, so it is exact
 * even with a 16-bit unsigned int.
 */
#include "crypto.h"

#include <string.h>

/* Characters are written and read as US-ASCII codes (RFC 4648 §4), not as
 * C character constants, so the wire form does not depend on the
 * compiler's execution character set. */
#define B64_PAD 0x3du                   /* '=' */

/* 1 if a >= b, else 0; a and b in 0..255.  a + 0x100 - b is in
 * 1..0x1ff, and has bit 8 set exactly when a >= b. */
static unsigned ge_bit(unsigned a, unsigned b)
{
    return ((a + 0x100u - b) >> 8) & 1u;
}

/* All ones if lo <= c <= hi, else 0; c, lo, hi in 0..255. */
static unsigned range_mask(unsigned c, unsigned lo, unsigned hi)
{
    return 0u - (ge_bit(c, lo) & ge_bit(hi, c));
}

/* The 6-bit value of character c (RFC 4648 §4, Table 1), or 0x100 when c
 * is not in the alphabet (the low 6 bits are then 0). */
static unsigned b64_value(unsigned char ch)
{
    unsigned c = ch;
    unsigned m, value = 0, found = 0;

    m = range_mask(c, 0x41, 0x5a);          /* 'A'..'Z': 0..25 */
    value |= m & (c - 0x41u);
    found |= m;
    m = range_mask(c, 0x61, 0x7a);          /* 'a'..'z': 26..51 */
    value |= m & (c - 0x61u + 26u);
    found |= m;
    m = range_mask(c, 0x30, 0x39);          /* '0'..'9': 52..61 */
    value |= m & (c - 0x30u + 52u);
    found |= m;
    m = range_mask(c, 0x2b, 0x2b);          /* '+': 62 */
    value |= m & 62u;
    found |= m;
    m = range_mask(c, 0x2f, 0x2f);          /* '/': 63 */
    value |= m & 63u;
    found |= m;

    return (value & 0x3fu) | (~found & 0x100u);
}

/* The character for the 6-bit value v (Table 1): 'A' + v, moved at each
 * boundary of the table.  Never below 65 on the way, so unsigned is exact. */
static char b64_char(unsigned v)
{
    unsigned c;

    v &= 0x3fu;
    c = 0x41u + v;                  /* 'A' + v */
    c += ge_bit(v, 26) * 6u;        /* 26 -> 'a': 'a' - 'A' - 26 */
    c -= ge_bit(v, 52) * 75u;       /* 52 -> '0': 'a' + 26 - '0' */
    c -= ge_bit(v, 62) * 15u;       /* 62 -> '+': '0' + 10 - '+' */
    c += ge_bit(v, 63) * 3u;        /* 63 -> '/': '/' - ('+' + 1) */
    return (char)c;
}

size_t pop3__base64_encoded_len(size_t n)
{
    size_t groups = n / 3 + (n % 3 != 0);

    if (groups > (size_t)-1 / 4)
        return 0;
    return groups * 4;
}

size_t pop3__base64_decoded_max(size_t n)
{
    return (n / 4) * 3;
}

size_t pop3__base64_encode(const void *in, size_t n, char *out)
{
    const unsigned char *p = (const unsigned char *)in;
    size_t total = pop3__base64_encoded_len(n);
    size_t i, o = 0;

    if (n == 0 || total == 0 || p == NULL || out == NULL)
        return 0;

    for (i = 0; i + 3 <= n; i += 3) {
        unsigned long w = ((unsigned long)p[i] << 16)
                        | ((unsigned long)p[i + 1] << 8)
                        | (unsigned long)p[i + 2];

        out[o++] = b64_char((unsigned)((w >> 18) & 0x3fu));
        out[o++] = b64_char((unsigned)((w >> 12) & 0x3fu));
        out[o++] = b64_char((unsigned)((w >> 6) & 0x3fu));
        out[o++] = b64_char((unsigned)(w & 0x3fu));
    }

    /* RFC 4648 §4: a final group of 8 or 16 bits, zero-filled to a
     * whole number of 6-bit groups and padded with '='. */
    if (n - i == 1) {
        unsigned long w = (unsigned long)p[i] << 16;

        out[o++] = b64_char((unsigned)((w >> 18) & 0x3fu));
        out[o++] = b64_char((unsigned)((w >> 12) & 0x3fu));
        out[o++] = (char)B64_PAD;
        out[o++] = (char)B64_PAD;
    } else if (n - i == 2) {
        unsigned long w = ((unsigned long)p[i] << 16)
                        | ((unsigned long)p[i + 1] << 8);

        out[o++] = b64_char((unsigned)((w >> 18) & 0x3fu));
        out[o++] = b64_char((unsigned)((w >> 12) & 0x3fu));
        out[o++] = b64_char((unsigned)((w >> 6) & 0x3fu));
        out[o++] = (char)B64_PAD;
    }

    return o;
}

int pop3__base64_decode(const char *in, size_t n, void *out, size_t outcap,
                        size_t *outlen)
{
    const unsigned char *p = (const unsigned char *)in;
    unsigned char *q = (unsigned char *)out;
    unsigned bad_char = 0, bad_pad = 0, last;
    size_t pad = 0, data, need, i, o;

    if (outlen == NULL)
        return POP3__B64_E_INVALID;
    *outlen = 0;
    if (n == 0)
        return POP3__B64_OK;
    if (p == NULL)
        return POP3__B64_E_INVALID;
    if (n % 4 != 0)
        return POP3__B64_E_LENGTH;

    /* At most two '=' at the very end are padding (RFC 4648 §3.2, §4);
     * any '=' before them is an error, and so is a third. */
    if (p[n - 1] == B64_PAD)
        pad = p[n - 2] == B64_PAD ? 2 : 1;
    data = n - pad;

    /* Validate everything before writing anything, without branching on
     * the data: accumulate the verdicts. */
    for (i = 0; i < data; i++) {
        unsigned v = b64_value(p[i]);
        unsigned is_eq = range_mask(p[i], B64_PAD, B64_PAD);

        bad_pad |= is_eq & 1u;
        bad_char |= (v >> 8) & ~is_eq & 1u;
    }
    if (bad_char)
        return POP3__B64_E_CHAR;
    if (bad_pad)
        return POP3__B64_E_PAD;

    /* §3.5: the bits the padding drops must be zero (canonical form). */
    last = b64_value(p[data - 1]);
    if ((pad == 1 && (last & 0x03u) != 0) || (pad == 2 && (last & 0x0fu) != 0))
        return POP3__B64_E_BITS;

    need = (n / 4) * 3 - pad;
    if (need > outcap) {
        *outlen = need;
        return POP3__B64_E_SPACE;
    }
    if (q == NULL)
        return POP3__B64_E_INVALID;

    /* Decode.  Group g reads p[4g..4g+3] into w before writing
     * q[3g..3g+2], which lies at or before p[4g+2] when q <= p: in-place
     * decoding never overwrites a character it has yet to read. */
    o = 0;
    for (i = 0; i < n; i += 4) {
        unsigned long w = ((unsigned long)(b64_value(p[i]) & 0x3fu) << 18)
                        | ((unsigned long)(b64_value(p[i + 1]) & 0x3fu) << 12)
                        | ((unsigned long)(b64_value(p[i + 2]) & 0x3fu) << 6)
                        | (unsigned long)(b64_value(p[i + 3]) & 0x3fu);
        size_t k = i + 4 < n ? 3 : 3 - pad;   /* '=' has value 0 */

        q[o++] = (unsigned char)((w >> 16) & 0xffu);
        if (k > 1)
            q[o++] = (unsigned char)((w >> 8) & 0xffu);
        if (k > 2)
            q[o++] = (unsigned char)(w & 0xffu);
    }

    *outlen = o;
    return POP3__B64_OK;
}
