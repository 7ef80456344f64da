/*
 * test_crypto.c - SHA-1 and SHA-256 (FIPS 180-4), the generic hash
 * interface, HMAC (RFC 2104) over MD5/SHA-1/SHA-256, and PBKDF2 (RFC 8018),
 * against the published test vectors, plus the SCRAM computations of
 * RFC 5802 and RFC 7677 built from them.
 *
 * Set POP3_TEST_SLOW=1 to also run RFC 6070 case 4 (16777216 iterations).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "crypto.h"

/* ------------------------------------------------------------------------
 * Helpers
 * ---------------------------------------------------------------------- */

#define HEX_MAX (2 * POP3__HASH_MAX_LEN + 1)

/* Decode lowercase/uppercase hex into out; returns the octet count. */
static size_t unhex(const char *hex, unsigned char *out, size_t cap)
{
    size_t n = strlen(hex) / 2, i;

    assert_true(strlen(hex) % 2 == 0);
    assert_true(n <= cap);
    for (i = 0; i < n; i++) {
        unsigned v = 0;
        int j;

        for (j = 0; j < 2; j++) {
            char c = hex[2 * i + (size_t)j];

            v <<= 4;
            if (c >= '0' && c <= '9')
                v |= (unsigned)(c - '0');
            else if (c >= 'a' && c <= 'f')
                v |= (unsigned)(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                v |= (unsigned)(c - 'A' + 10);
            else
                fail_msg("bad hex digit in test vector");
        }
        out[i] = (unsigned char)v;
    }
    return n;
}

static void fill(unsigned char *buf, unsigned char byte, size_t n)
{
    memset(buf, byte, n);
}

/* Byte i of the boundary-test messages: (i * 131 + 7) mod 256. */
static void fill_pattern(unsigned char *buf, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        buf[i] = (unsigned char)((i * 131u + 7u) & 0xffu);
}

static int env_set(const char *name)
{
    const char *v = getenv(name);

    return v != NULL && v[0] != '\0' && strcmp(v, "0") != 0;
}

/* A SHA-1 or SHA-256 context driven through the direct (not generic) API,
 * so the tests below exercise pop3__sha1_* and pop3__sha256_* themselves. */
struct sha_ctx {
    int is256;
    pop3__sha1 s1;
    pop3__sha256 s256;
};

static void sha_init(struct sha_ctx *c, int is256)
{
    c->is256 = is256;
    if (is256)
        pop3__sha256_init(&c->s256);
    else
        pop3__sha1_init(&c->s1);
}

static void sha_update(struct sha_ctx *c, const void *p, size_t n)
{
    if (c->is256)
        pop3__sha256_update(&c->s256, p, n);
    else
        pop3__sha1_update(&c->s1, p, n);
}

static void sha_final_hex(struct sha_ctx *c, char hex[HEX_MAX])
{
    unsigned char d[32];

    if (c->is256) {
        pop3__sha256_final(&c->s256, d);
        pop3__hex(d, 32, hex);
    } else {
        pop3__sha1_final(&c->s1, d);
        pop3__hex(d, 20, hex);
    }
}

static void sha_whole(int is256, const void *p, size_t n, char hex[HEX_MAX])
{
    struct sha_ctx c;

    sha_init(&c, is256);
    sha_update(&c, p, n);
    sha_final_hex(&c, hex);
}

/* Fed in three parts: [0, a), [a, b), [b, n). */
static void sha_split3(int is256, const unsigned char *p, size_t n,
                       size_t a, size_t b, char hex[HEX_MAX])
{
    struct sha_ctx c;

    sha_init(&c, is256);
    sha_update(&c, p, a);
    sha_update(&c, p + a, b - a);
    sha_update(&c, p + b, n - b);
    sha_final_hex(&c, hex);
}

/* ------------------------------------------------------------------------
 * SHA-1 / SHA-256: FIPS 180-4 known answers (the FIPS examples and
 * RFC 3174 §7.3 for SHA-1) under every chunking
 * ---------------------------------------------------------------------- */

#define MSG_448 "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
#define MSG_896 "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn" \
                "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"

struct sha_vector {
    const char *input;
    const char *sha1;
    const char *sha256;
};

static const struct sha_vector fips_vectors[] = {
    { "",
      "da39a3ee5e6b4b0d3255bfef95601890afd80709",
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
    { "abc",
      "a9993e364706816aba3e25717850c26c9cd0d89d",
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
    { MSG_448,
      "84983e441c3bd26ebaae4aa1f95129e5e54670f1",
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
    { MSG_896,
      "a49b2446a02c645bf419f995b67091253a04a259",
      "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" }
};

#define N_FIPS_VECTORS (sizeof fips_vectors / sizeof fips_vectors[0])

static const char *expected(const struct sha_vector *v, int is256)
{
    return is256 ? v->sha256 : v->sha1;
}

static void test_sha_fips_vectors_fed_whole(void **state)
{
    size_t i;
    int is256;
    (void)state;

    for (is256 = 0; is256 <= 1; is256++)
        for (i = 0; i < N_FIPS_VECTORS; i++) {
            char hex[HEX_MAX];

            sha_whole(is256, fips_vectors[i].input,
                      strlen(fips_vectors[i].input), hex);
            assert_string_equal(hex, expected(&fips_vectors[i], is256));
        }
}

static void test_sha_fips_vectors_fed_byte_by_byte(void **state)
{
    size_t i, j;
    int is256;
    (void)state;

    for (is256 = 0; is256 <= 1; is256++)
        for (i = 0; i < N_FIPS_VECTORS; i++) {
            const char *in = fips_vectors[i].input;
            struct sha_ctx c;
            char hex[HEX_MAX];

            sha_init(&c, is256);
            for (j = 0; in[j] != '\0'; j++)
                sha_update(&c, in + j, 1);
            sha_final_hex(&c, hex);
            assert_string_equal(hex, expected(&fips_vectors[i], is256));
        }
}

static void test_sha_fips_vectors_same_at_every_split_point(void **state)
{
    size_t i, split;
    int is256;
    (void)state;

    for (is256 = 0; is256 <= 1; is256++)
        for (i = 0; i < N_FIPS_VECTORS; i++) {
            const unsigned char *in =
                (const unsigned char *)fips_vectors[i].input;
            size_t len = strlen(fips_vectors[i].input);

            for (split = 0; split <= len; split++) {
                char hex[HEX_MAX];

                sha_split3(is256, in, len, split, len, hex);
                assert_string_equal(hex, expected(&fips_vectors[i], is256));
            }
        }
}

/* Every pair of split points of the 896-bit message: a chunk ending,
 * straddling or starting at the 64-octet block boundary, in every
 * combination. */
static void test_sha_896bit_vector_same_at_every_pair_of_split_points(
    void **state)
{
    const unsigned char *in = (const unsigned char *)MSG_896;
    size_t len = strlen(MSG_896), a, b;
    int is256;
    (void)state;

    for (is256 = 0; is256 <= 1; is256++)
        for (a = 0; a <= len; a++)
            for (b = a; b <= len; b++) {
                char hex[HEX_MAX];

                sha_split3(is256, in, len, a, b, hex);
                assert_string_equal(hex, expected(&fips_vectors[3], is256));
            }
}

static void test_sha_one_million_a_whole_bytewise_and_in_irregular_chunks(
    void **state)
{
    static const char *const answer[2] = {
        "34aa973cd4c4daa4f61eeb2bdbad27316534016f",
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
    };
    static const size_t chunks[] = { 1, 63, 64, 65, 127, 3, 200, 55, 56, 57,
                                     4096, 7 };
    const size_t total = 1000000;
    unsigned char *buf = malloc(total);
    int is256;
    (void)state;

    assert_non_null(buf);
    memset(buf, 'a', total);

    for (is256 = 0; is256 <= 1; is256++) {
        struct sha_ctx c;
        char hex[HEX_MAX];
        size_t off, k;

        sha_whole(is256, buf, total, hex);
        assert_string_equal(hex, answer[is256]);

        sha_init(&c, is256);
        for (off = 0; off < total; off++)
            sha_update(&c, buf + off, 1);
        sha_final_hex(&c, hex);
        assert_string_equal(hex, answer[is256]);

        sha_init(&c, is256);
        for (off = 0, k = 0; off < total; k++) {
            size_t n = chunks[k % (sizeof chunks / sizeof chunks[0])];

            if (n > total - off)
                n = total - off;
            sha_update(&c, buf + off, n);
            off += n;
        }
        sha_final_hex(&c, hex);
        assert_string_equal(hex, answer[is256]);
    }
    free(buf);
}

/* Lengths around the 56- and 64-octet padding boundaries (where the
 * length field does or does not fit in the last block) and two blocks
 * later.  Answers computed independently with another implementation. */
static void test_sha_padding_boundaries_at_every_split_point(void **state)
{
    static const struct {
        size_t len;
        const char *sha1;
        const char *sha256;
    } cases[] = {
        { 55, "9e5a20c2604688df0b1eecf4474b58bfe7227881",
          "16ed9c4697ca11d5f6fb25ea7900252dd4cb97215d7f6d0b2bb3e2a86ac0ec72" },
        { 56, "bd367cf3b85dc2cac8f6b4827cb850e4c83c521c",
          "939ada93b2fe1e9c596d767bb408567c83e253667f0b25e5be8e16f35f2cbac9" },
        { 57, "8f26553b44ae9cd3b816ba1ba43b5ead3ebcf01b",
          "ab84281f3b181e6cfc7cf870c7f3e7912be6fd1ac49c7dd6b21f6c25bb9a5eaa" },
        { 63, "a8f606c343b26fa851dfd149f7b12fc2dbf1af34",
          "6073f83b09ae82016cdbe24c18996c48f0eaa08ca675d0f6b90b807fc29e0149" },
        { 64, "1abec92bfbde4197236cfba30b6b61c69d605d88",
          "b337ba9b0c69c391364e985fdcb23a889887e59800832c92fbfa22b8a3c40304" },
        { 65, "362ce7bc4bc2b47979741db349c65fd550840dc3",
          "9d6a3fb113b586b4ab97bc11c993a27bd9b7bbcb756e0646083dc47a679600e6" },
        { 119, "e7ceee9817914eef9ec7001a43033f16a086b7c7",
          "9773fbac8194c3d789af101b49b6a26073076895ef6e0f658432849dd477a43f" },
        { 120, "9c9d46758300bc1f2c6953d4a2652ed72a202cf3",
          "070a538f085dd94821d4dc197c5c8b791051891d4fa2a1bf25d3c275236676f7" },
        { 127, "89a850084bf6feb514a0355c6691956065d03d7d",
          "5072b7a9a4cda7f6d80f1eff09b8b9653201dba22319daf32c6c05339d57f483" },
        { 128, "8abf03d87a20327b0a0dfbee98f04a881350d8f4",
          "485a94e53eba9717a5d8b7b4489cad92a752f1c5722e7dfd29dd164b7c438d11" },
        { 129, "736024ac08102e1ca5d7ba68e88e5c4a8745a33d",
          "72b63785704123441e7405a2620b859d1f107604ef5882e2674e82cc40d173a6" },
        { 1000, "425b5f2d2d344f4f6467cda9065cdc840619dc2d",
          "533b698850849b7908b20a22658f639c0b2a476f1791f85f50188287c31a9aba" }
    };
    unsigned char buf[1000];
    size_t i, split;
    int is256;
    (void)state;

    fill_pattern(buf, sizeof buf);
    for (is256 = 0; is256 <= 1; is256++)
        for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            const char *want = is256 ? cases[i].sha256 : cases[i].sha1;

            for (split = 0; split <= cases[i].len; split++) {
                char hex[HEX_MAX];

                sha_split3(is256, buf, cases[i].len, split, cases[i].len,
                           hex);
                assert_string_equal(hex, want);
            }
        }
}

/* No aligned loads: the same bytes at every offset give the same digest. */
static void test_sha_unaligned_input_gives_same_digest(void **state)
{
    unsigned char buf[300 + 8];
    char ref[HEX_MAX], hex[HEX_MAX];
    size_t off;
    int is256;
    (void)state;

    for (is256 = 0; is256 <= 1; is256++) {
        fill_pattern(buf, 300);
        sha_whole(is256, buf, 300, ref);
        for (off = 1; off < 8; off++) {
            memmove(buf + off, buf + off - 1, 300);
            sha_whole(is256, buf + off, 300, hex);
            assert_string_equal(hex, ref);
        }
    }
}

static void test_sha_zero_length_and_null_updates_change_nothing(void **state)
{
    int is256;
    (void)state;

    for (is256 = 0; is256 <= 1; is256++) {
        struct sha_ctx c;
        char hex[HEX_MAX];

        sha_init(&c, is256);
        sha_update(&c, "zz", 0);
        sha_update(&c, NULL, 0);
        sha_update(&c, "a", 1);
        sha_update(&c, NULL, 0);
        sha_update(&c, "bc", 2);
        sha_update(&c, "q", 0);
        sha_final_hex(&c, hex);
        assert_string_equal(hex, expected(&fips_vectors[1], is256));
    }
}

static int all_zero(const void *p, size_t n)
{
    const unsigned char *b = (const unsigned char *)p;
    size_t i;

    for (i = 0; i < n; i++)
        if (b[i] != 0)
            return 0;
    return 1;
}

static void test_sha_final_wipes_the_context(void **state)
{
    pop3__sha1 s1;
    pop3__sha256 s256;
    unsigned char d[32];
    (void)state;

    pop3__sha1_init(&s1);
    pop3__sha1_update(&s1, "secret password", 15);
    pop3__sha1_final(&s1, d);
    assert_true(all_zero(&s1, sizeof s1));

    pop3__sha256_init(&s256);
    pop3__sha256_update(&s256, "secret password", 15);
    pop3__sha256_final(&s256, d);
    assert_true(all_zero(&s256, sizeof s256));
}

static void test_sha_context_is_reusable_after_init(void **state)
{
    int is256;
    (void)state;

    for (is256 = 0; is256 <= 1; is256++) {
        struct sha_ctx c;
        char hex[HEX_MAX];

        sha_init(&c, is256);
        sha_update(&c, MSG_896, strlen(MSG_896));
        sha_final_hex(&c, hex);
        sha_init(&c, is256);
        sha_update(&c, "abc", 3);
        sha_final_hex(&c, hex);
        assert_string_equal(hex, expected(&fips_vectors[1], is256));
    }
}

/* ------------------------------------------------------------------------
 * The generic hash interface
 * ---------------------------------------------------------------------- */

static void test_hash_len_is_the_digest_size_and_0_for_unknown_kinds(
    void **state)
{
    (void)state;

    assert_int_equal(pop3__hash_len(POP3__HASH_MD5), 16);
    assert_int_equal(pop3__hash_len(POP3__HASH_SHA1), 20);
    assert_int_equal(pop3__hash_len(POP3__HASH_SHA256), 32);
    assert_int_equal(pop3__hash_len((pop3__hash_kind)0), 0);
    assert_int_equal(pop3__hash_len((pop3__hash_kind)4), 0);
    assert_true(pop3__hash_len(POP3__HASH_SHA256) <= POP3__HASH_MAX_LEN);
}

static void test_hash_one_shot_and_streaming_match_each_hash(void **state)
{
    static const struct {
        pop3__hash_kind kind;
        const char *hex;
    } abc[] = {
        { POP3__HASH_MD5, "900150983cd24fb0d6963f7d28e17f72" },
        { POP3__HASH_SHA1, "a9993e364706816aba3e25717850c26c9cd0d89d" },
        { POP3__HASH_SHA256,
          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" }
    };
    size_t i;
    (void)state;

    for (i = 0; i < sizeof abc / sizeof abc[0]; i++) {
        unsigned char d[POP3__HASH_MAX_LEN];
        char hex[HEX_MAX];
        pop3__hash_ctx h;
        size_t n = pop3__hash_len(abc[i].kind);

        assert_int_equal(pop3__hash(abc[i].kind, "abc", 3, d), POP3_OK);
        pop3__hex(d, n, hex);
        assert_string_equal(hex, abc[i].hex);

        assert_int_equal(pop3__hash_init(&h, abc[i].kind), POP3_OK);
        pop3__hash_update(&h, "a", 1);
        pop3__hash_update(&h, "bc", 2);
        pop3__hash_final(&h, d);
        pop3__hex(d, n, hex);
        assert_string_equal(hex, abc[i].hex);
        assert_true(all_zero(&h, sizeof h));
    }
}

static void test_hash_rejects_unknown_kind_and_null_pointers(void **state)
{
    unsigned char d[POP3__HASH_MAX_LEN];
    pop3__hash_ctx h;
    (void)state;

    memset(d, 0xa5, sizeof d);
    assert_int_equal(pop3__hash((pop3__hash_kind)0, "abc", 3, d),
                     POP3_E_INVALID);
    assert_int_equal(pop3__hash((pop3__hash_kind)9, "abc", 3, d),
                     POP3_E_INVALID);
    assert_int_equal(pop3__hash(POP3__HASH_SHA1, NULL, 3, d), POP3_E_INVALID);
    assert_int_equal(pop3__hash(POP3__HASH_SHA1, "abc", 3, NULL),
                     POP3_E_INVALID);
    assert_int_equal(pop3__hash_init(NULL, POP3__HASH_SHA1), POP3_E_INVALID);

    /* An unusable context: update and final do nothing to out. */
    assert_int_equal(pop3__hash_init(&h, (pop3__hash_kind)7), POP3_E_INVALID);
    pop3__hash_update(&h, "abc", 3);
    pop3__hash_final(&h, d);
    assert_true(d[0] == 0xa5 && d[POP3__HASH_MAX_LEN - 1] == 0xa5);

    /* The empty message, data NULL. */
    assert_int_equal(pop3__hash(POP3__HASH_SHA256, NULL, 0, d), POP3_OK);
    {
        char hex[HEX_MAX];

        pop3__hex(d, 32, hex);
        assert_string_equal(hex, fips_vectors[0].sha256);
    }
}

/* ------------------------------------------------------------------------
 * HMAC: RFC 2202 (MD5, SHA-1), RFC 4231 (SHA-256), RFC 2195 (CRAM-MD5)
 * ---------------------------------------------------------------------- */

/* A key or data field: `len` copies of `byte`, or the string `str`, or
 * the octets 0x01, 0x02, ... `len` when `counting`. */
struct field {
    const char *str;
    unsigned char byte;
    size_t len;
    int counting;
};

#define FSTR(s) { s, 0, 0, 0 }
#define FREP(b, n) { NULL, b, n, 0 }
#define FCOUNT(n) { NULL, 0, n, 1 }

struct hmac_vector {
    const char *name;
    pop3__hash_kind kind;
    struct field key, data;
    const char *hex;            /* the (possibly truncated) MAC */
};

static size_t build(const struct field *f, unsigned char *buf, size_t cap)
{
    size_t i, n;

    if (f->str != NULL) {
        n = strlen(f->str);
        assert_true(n <= cap);
        memcpy(buf, f->str, n);
        return n;
    }
    n = f->len;
    assert_true(n <= cap);
    if (f->counting)
        for (i = 0; i < n; i++)
            buf[i] = (unsigned char)(i + 1);
    else
        fill(buf, f->byte, n);
    return n;
}

static const struct hmac_vector hmac_vectors[] = {
    /* RFC 2202 §2, HMAC-MD5 */
    { "2202 md5 1", POP3__HASH_MD5, FREP(0x0b, 16), FSTR("Hi There"),
      "9294727a3638bb1c13f48ef8158bfc9d" },
    { "2202 md5 2", POP3__HASH_MD5, FSTR("Jefe"),
      FSTR("what do ya want for nothing?"),
      "750c783e6ab0b503eaa86e310a5db738" },
    { "2202 md5 3", POP3__HASH_MD5, FREP(0xaa, 16), FREP(0xdd, 50),
      "56be34521d144c88dbb8c733f0e8b3f6" },
    { "2202 md5 4", POP3__HASH_MD5, FCOUNT(25), FREP(0xcd, 50),
      "697eaf0aca3a3aea3a75164746ffaa79" },
    { "2202 md5 5", POP3__HASH_MD5, FREP(0x0c, 16),
      FSTR("Test With Truncation"),
      "56461ef2342edc00f9bab995690efd4c" },
    { "2202 md5 5/96", POP3__HASH_MD5, FREP(0x0c, 16),
      FSTR("Test With Truncation"),
      "56461ef2342edc00f9bab995" },
    { "2202 md5 6", POP3__HASH_MD5, FREP(0xaa, 80),
      FSTR("Test Using Larger Than Block-Size Key - Hash Key First"),
      "6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd" },
    { "2202 md5 7", POP3__HASH_MD5, FREP(0xaa, 80),
      FSTR("Test Using Larger Than Block-Size Key and Larger "
           "Than One Block-Size Data"),
      "6f630fad67cda0ee1fb1f562db3aa53e" },

    /* RFC 2202 §3, HMAC-SHA-1 */
    { "2202 sha1 1", POP3__HASH_SHA1, FREP(0x0b, 20), FSTR("Hi There"),
      "b617318655057264e28bc0b6fb378c8ef146be00" },
    { "2202 sha1 2", POP3__HASH_SHA1, FSTR("Jefe"),
      FSTR("what do ya want for nothing?"),
      "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79" },
    { "2202 sha1 3", POP3__HASH_SHA1, FREP(0xaa, 20), FREP(0xdd, 50),
      "125d7342b9ac11cd91a39af48aa17b4f63f175d3" },
    { "2202 sha1 4", POP3__HASH_SHA1, FCOUNT(25), FREP(0xcd, 50),
      "4c9007f4026250c6bc8414f9bf50c86c2d7235da" },
    { "2202 sha1 5", POP3__HASH_SHA1, FREP(0x0c, 20),
      FSTR("Test With Truncation"),
      "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04" },
    { "2202 sha1 5/96", POP3__HASH_SHA1, FREP(0x0c, 20),
      FSTR("Test With Truncation"),
      "4c1a03424b55e07fe7f27be1" },
    { "2202 sha1 6", POP3__HASH_SHA1, FREP(0xaa, 80),
      FSTR("Test Using Larger Than Block-Size Key - Hash Key First"),
      "aa4ae5e15272d00e95705637ce8a3b55ed402112" },
    { "2202 sha1 7", POP3__HASH_SHA1, FREP(0xaa, 80),
      FSTR("Test Using Larger Than Block-Size Key and Larger "
           "Than One Block-Size Data"),
      "e8e99d0f45237d786d6bbaa7965c7808bbff1a91" },

    /* RFC 4231 §4, HMAC-SHA-256 */
    { "4231 case 1", POP3__HASH_SHA256, FREP(0x0b, 20), FSTR("Hi There"),
      "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
    { "4231 case 2", POP3__HASH_SHA256, FSTR("Jefe"),
      FSTR("what do ya want for nothing?"),
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
    { "4231 case 3", POP3__HASH_SHA256, FREP(0xaa, 20), FREP(0xdd, 50),
      "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe" },
    { "4231 case 4", POP3__HASH_SHA256, FCOUNT(25), FREP(0xcd, 50),
      "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b" },
    { "4231 case 5/128", POP3__HASH_SHA256, FREP(0x0c, 20),
      FSTR("Test With Truncation"),
      "a3b6167473100ee06e0c796c2955552b" },
    { "4231 case 6", POP3__HASH_SHA256, FREP(0xaa, 131),
      FSTR("Test Using Larger Than Block-Size Key - Hash Key First"),
      "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54" },
    { "4231 case 7", POP3__HASH_SHA256, FREP(0xaa, 131),
      FSTR("This is a test using a larger than block-size key and a "
           "larger than block-size data. The key needs to be hashed "
           "before being used by the HMAC algorithm."),
      "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2" },

    /* RFC 2195 §2: the CRAM-MD5 example. */
    { "2195 cram-md5", POP3__HASH_MD5, FSTR("tanstaaftanstaaf"),
      FSTR("<1896.697170952@postoffice.reston.mci.net>"),
      "b913a602c7eda7a495b4e6e7334d3890" }
};

#define N_HMAC_VECTORS (sizeof hmac_vectors / sizeof hmac_vectors[0])

static const struct hmac_vector *hmac_vector_named(const char *name)
{
    size_t i;

    for (i = 0; i < N_HMAC_VECTORS; i++)
        if (strcmp(hmac_vectors[i].name, name) == 0)
            return &hmac_vectors[i];
    fail_msg("no HMAC vector named %s", name);
    return NULL;
}

/* Compare the leftmost strlen(want)/2 octets of mac with want. */
static void assert_mac(const unsigned char *mac, const char *want,
                       const char *name)
{
    char hex[HEX_MAX];
    size_t n = strlen(want) / 2;

    pop3__hex(mac, n, hex);
    if (strcmp(hex, want) != 0)
        fail_msg("%s: got %s, want %s", name, hex, want);
}

static void test_hmac_rfc2202_rfc4231_rfc2195_vectors_one_shot(void **state)
{
    size_t i;
    (void)state;

    for (i = 0; i < N_HMAC_VECTORS; i++) {
        const struct hmac_vector *v = &hmac_vectors[i];
        unsigned char key[200], data[200], mac[POP3__HASH_MAX_LEN];
        size_t kl = build(&v->key, key, sizeof key);
        size_t dl = build(&v->data, data, sizeof data);

        assert_int_equal(pop3__hmac(v->kind, key, kl, data, dl, mac),
                         POP3_OK);
        assert_mac(mac, v->hex, v->name);
    }
}

static void test_hmac_vectors_streamed_at_every_split_and_byte_by_byte(
    void **state)
{
    size_t i, split, j;
    (void)state;

    for (i = 0; i < N_HMAC_VECTORS; i++) {
        const struct hmac_vector *v = &hmac_vectors[i];
        unsigned char key[200], data[200], mac[POP3__HASH_MAX_LEN];
        size_t kl = build(&v->key, key, sizeof key);
        size_t dl = build(&v->data, data, sizeof data);
        pop3__hmac_ctx ctx;

        for (split = 0; split <= dl; split++) {
            assert_int_equal(pop3__hmac_init(&ctx, v->kind, key, kl),
                             POP3_OK);
            pop3__hmac_update(&ctx, data, split);
            pop3__hmac_update(&ctx, data + split, dl - split);
            pop3__hmac_final(&ctx, mac);
            assert_mac(mac, v->hex, v->name);
        }

        assert_int_equal(pop3__hmac_init(&ctx, v->kind, key, kl), POP3_OK);
        for (j = 0; j < dl; j++)
            pop3__hmac_update(&ctx, data + j, 1);
        pop3__hmac_final(&ctx, mac);
        assert_mac(mac, v->hex, v->name);
    }
}

/* Keys of B - 1 and B octets are used as they are, keys of B + 1 and
 * more are hashed first (RFC 2104 §2), for all three hashes.  Answers
 * computed independently with another implementation. */
static void test_hmac_key_lengths_around_the_block_size(void **state)
{
    static const struct {
        pop3__hash_kind kind;
        size_t keylen;
        const char *hex;
    } cases[] = {
        { POP3__HASH_MD5, 63, "7be023c56f5f35509bf01cc1e442df98" },
        { POP3__HASH_MD5, 64, "55c45215e1af5589731a9287b5a6db69" },
        { POP3__HASH_MD5, 65, "f284a8cb9b62ad25113ad4c21ee3d038" },
        { POP3__HASH_MD5, 200, "4c6c95d8f6beef4a4b605a5d6d7559f6" },
        { POP3__HASH_SHA1, 63, "474f4d011c67fa00311b95c84a143b20e3ec2a78" },
        { POP3__HASH_SHA1, 64, "780a780cdce823d4358128a295fe01449168bce6" },
        { POP3__HASH_SHA1, 65, "8875a1b5672a6b49e829692cf947fa166628c80a" },
        { POP3__HASH_SHA1, 200, "d2e515d2a27cedb700b4f75ed2181feea707d872" },
        { POP3__HASH_SHA256, 63,
          "6d1b68c2dfad74db145282bba04a151a7211e5090cb262ec31918aa130c25d42" },
        { POP3__HASH_SHA256, 64,
          "607b2cb2fe3689ee6c4f8484d1586ba34a66859b75dfe855b91db2561549b087" },
        { POP3__HASH_SHA256, 65,
          "3022c3f6a89cee5e54b7d39e49a116dcee3035f7b24c066da72a7abd0e324589" },
        { POP3__HASH_SHA256, 200,
          "586a472be4458eb4e5727e2c6d4e339aaecc873cde974fcfa7414da5702b610f" }
    };
    static const char msg[] = "libpop3 HMAC key-length boundary";
    unsigned char key[200], mac[POP3__HASH_MAX_LEN];
    size_t i;
    (void)state;

    for (i = 0; i < sizeof key; i++)
        key[i] = (unsigned char)((i * 7u + 1u) & 0xffu);

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        unsigned char hk[POP3__HASH_MAX_LEN], mac2[POP3__HASH_MAX_LEN];
        size_t hl = pop3__hash_len(cases[i].kind);

        assert_int_equal(pop3__hmac(cases[i].kind, key, cases[i].keylen,
                                    msg, strlen(msg), mac), POP3_OK);
        assert_mac(mac, cases[i].hex, "key-length boundary");

        /* A key longer than the block is equivalent to its hash. */
        if (cases[i].keylen > 64) {
            assert_int_equal(pop3__hash(cases[i].kind, key, cases[i].keylen,
                                        hk), POP3_OK);
            assert_int_equal(pop3__hmac(cases[i].kind, hk, hl, msg,
                                        strlen(msg), mac2), POP3_OK);
            assert_memory_equal(mac, mac2, hl);
        }
    }
}

static void test_hmac_empty_key_and_empty_message(void **state)
{
    static const struct {
        pop3__hash_kind kind;
        const char *hex;
    } cases[] = {
        { POP3__HASH_MD5, "74e6f7298a9c2d168935f58c001bad88" },
        { POP3__HASH_SHA1, "fbdb1d1b18aa6c08324b7d64b71fb76370690e1d" },
        { POP3__HASH_SHA256,
          "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad" }
    };
    unsigned char mac[POP3__HASH_MAX_LEN];
    size_t i;
    (void)state;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(pop3__hmac(cases[i].kind, NULL, 0, NULL, 0, mac),
                         POP3_OK);
        assert_mac(mac, cases[i].hex, "empty key, empty message");
        assert_int_equal(pop3__hmac(cases[i].kind, "", 0, "", 0, mac),
                         POP3_OK);
        assert_mac(mac, cases[i].hex, "empty key, empty message");
    }
}

/* A keyed context copied by assignment MACs several messages under the
 * one key (what PBKDF2 and SCRAM rely on). */
static void test_hmac_keyed_context_copies_are_independent(void **state)
{
    pop3__hmac_ctx keyed, a, b;
    unsigned char mac[POP3__HASH_MAX_LEN];
    (void)state;

    assert_int_equal(pop3__hmac_init(&keyed, POP3__HASH_SHA256, "Jefe", 4),
                     POP3_OK);
    a = keyed;
    b = keyed;
    pop3__hmac_update(&a, "what do ya want ", 16);
    pop3__hmac_update(&b, "Hi There", 8);           /* a different key in */
    pop3__hmac_update(&a, "for nothing?", 12);      /* 4231 case 2 */
    pop3__hmac_final(&a, mac);
    assert_mac(mac, hmac_vector_named("4231 case 2")->hex, "copy a");
    pop3__hmac_final(&b, mac);
    pop3__hmac_final(&keyed, mac);
    /* keyed, never updated: HMAC("Jefe", "") */
    {
        unsigned char want[POP3__HASH_MAX_LEN];

        assert_int_equal(pop3__hmac(POP3__HASH_SHA256, "Jefe", 4, "", 0,
                                    want), POP3_OK);
        assert_memory_equal(mac, want, 32);
    }
}

static void test_hmac_final_wipes_the_context(void **state)
{
    pop3__hmac_ctx ctx;
    unsigned char mac[POP3__HASH_MAX_LEN];
    pop3__hash_kind k;
    (void)state;

    for (k = POP3__HASH_MD5; k <= POP3__HASH_SHA256;
         k = (pop3__hash_kind)(k + 1)) {
        assert_int_equal(pop3__hmac_init(&ctx, k, "secret", 6), POP3_OK);
        pop3__hmac_update(&ctx, "challenge", 9);
        pop3__hmac_final(&ctx, mac);
        assert_true(all_zero(&ctx, sizeof ctx));
    }
}

static void test_hmac_rejects_unknown_kind_and_null_pointers(void **state)
{
    pop3__hmac_ctx ctx;
    unsigned char mac[POP3__HASH_MAX_LEN];
    (void)state;

    memset(mac, 0xa5, sizeof mac);
    assert_int_equal(pop3__hmac((pop3__hash_kind)0, "k", 1, "d", 1, mac),
                     POP3_E_INVALID);
    assert_int_equal(pop3__hmac((pop3__hash_kind)4, "k", 1, "d", 1, mac),
                     POP3_E_INVALID);
    assert_int_equal(pop3__hmac(POP3__HASH_SHA1, NULL, 1, "d", 1, mac),
                     POP3_E_INVALID);
    assert_int_equal(pop3__hmac(POP3__HASH_SHA1, "k", 1, NULL, 1, mac),
                     POP3_E_INVALID);
    assert_int_equal(pop3__hmac(POP3__HASH_SHA1, "k", 1, "d", 1, NULL),
                     POP3_E_INVALID);
    assert_int_equal(pop3__hmac_init(NULL, POP3__HASH_SHA1, "k", 1),
                     POP3_E_INVALID);

    /* A failed init leaves an unusable context: final writes nothing. */
    assert_int_equal(pop3__hmac_init(&ctx, (pop3__hash_kind)0, "k", 1),
                     POP3_E_INVALID);
    pop3__hmac_update(&ctx, "d", 1);
    pop3__hmac_final(&ctx, mac);
    assert_true(mac[0] == 0xa5 && mac[POP3__HASH_MAX_LEN - 1] == 0xa5);
}

/* ------------------------------------------------------------------------
 * PBKDF2: RFC 6070 (HMAC-SHA-1), RFC 7914 §11 and the widely published
 * RFC 6070-shaped set (HMAC-SHA-256)
 * ---------------------------------------------------------------------- */

struct pbkdf2_vector {
    pop3__hash_kind kind;
    const char *p;
    size_t plen;
    const char *s;
    size_t slen;
    uint32_t c;
    const char *dk;             /* hex; dkLen = strlen / 2 */
};

#define S(x) x, sizeof x - 1

static const struct pbkdf2_vector pbkdf2_vectors[] = {
    /* RFC 6070 §2 (case 4, c = 16777216, is in its own test) */
    { POP3__HASH_SHA1, S("password"), S("salt"), 1,
      "0c60c80f961f0e71f3a9b524af6012062fe037a6" },
    { POP3__HASH_SHA1, S("password"), S("salt"), 2,
      "ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957" },
    { POP3__HASH_SHA1, S("password"), S("salt"), 4096,
      "4b007901b765489abead49d926f721d065a429c1" },
    { POP3__HASH_SHA1, S("passwordPASSWORDpassword"),
      S("saltSALTsaltSALTsaltSALTsaltSALTsalt"), 4096,
      "3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038" },
    { POP3__HASH_SHA1, S("pass\0word"), S("sa\0lt"), 4096,
      "56fa6aa75548099dcc37d7f03425e0c3" },

    /* RFC 7914 §11 */
    { POP3__HASH_SHA256, S("passwd"), S("salt"), 1,
      "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
      "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783" },
    { POP3__HASH_SHA256, S("Password"), S("NaCl"), 80000,
      "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56"
      "a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d" },

    /* The RFC 6070 inputs with HMAC-SHA-256 (widely published; checked
     * against an independent implementation). */
    { POP3__HASH_SHA256, S("password"), S("salt"), 1,
      "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b" },
    { POP3__HASH_SHA256, S("password"), S("salt"), 2,
      "ae4d0c95af6b46d32d0adff928f06dd02a303f8ef3c251dfd6e2d85a95474c43" },
    { POP3__HASH_SHA256, S("password"), S("salt"), 4096,
      "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a" },
    { POP3__HASH_SHA256, S("passwordPASSWORDpassword"),
      S("saltSALTsaltSALTsaltSALTsaltSALTsalt"), 4096,
      "348c89dbcbd32b2f32d814b8116e84cf2b17347ebc1800181c4e2a1fb8dd53e1"
      "c635518c7dac47e9" },
    { POP3__HASH_SHA256, S("pass\0word"), S("sa\0lt"), 4096,
      "89b69d0516f829893c696226650a8687" },

    /* HMAC-MD5 as the PRF (independent implementation). */
    { POP3__HASH_MD5, S("password"), S("salt"), 4096,
      "15001f89b9c29ee6998c520d1a0629e893cc3f996a08d27060e4c33305bf0fb2"
      "62e27c0c9745202f" }
};

static void check_pbkdf2(const struct pbkdf2_vector *v)
{
    unsigned char want[128], got[128];
    size_t n = unhex(v->dk, want, sizeof want);

    memset(got, 0xa5, sizeof got);
    assert_int_equal(pop3__pbkdf2(v->kind, v->p, v->plen, v->s, v->slen,
                                  v->c, got, n), POP3_OK);
    assert_memory_equal(got, want, n);
    assert_int_equal(got[n], 0xa5);         /* nothing past outlen */
}

static void test_pbkdf2_rfc6070_rfc7914_and_sha256_vectors(void **state)
{
    size_t i;
    (void)state;

    for (i = 0; i < sizeof pbkdf2_vectors / sizeof pbkdf2_vectors[0]; i++)
        check_pbkdf2(&pbkdf2_vectors[i]);
}

static void test_pbkdf2_rfc6070_case4_16777216_iterations_slow(void **state)
{
    static const struct pbkdf2_vector v = {
        POP3__HASH_SHA1, S("password"), S("salt"), 16777216,
        "eefe3d61cd4da4e4e9945b3d6ba2158c2634e984"
    };
    (void)state;

    if (!env_set("POP3_TEST_SLOW"))
        skip();
    check_pbkdf2(&v);
}

/* DK for a shorter dkLen is the prefix of a longer one, across block
 * boundaries (T_1 || T_2 || T_3 ...), for every length 1..70. */
static void test_pbkdf2_every_output_length_is_a_prefix_of_the_longest(
    void **state)
{
    pop3__hash_kind k;
    (void)state;

    for (k = POP3__HASH_MD5; k <= POP3__HASH_SHA256;
         k = (pop3__hash_kind)(k + 1)) {
        unsigned char full[70], part[71];
        size_t n;

        assert_int_equal(pop3__pbkdf2(k, "pw", 2, "NaCl", 4, 3, full,
                                      sizeof full), POP3_OK);
        for (n = 1; n <= sizeof full; n++) {
            memset(part, 0xa5, sizeof part);
            assert_int_equal(pop3__pbkdf2(k, "pw", 2, "NaCl", 4, 3, part, n),
                             POP3_OK);
            assert_memory_equal(part, full, n);
            assert_int_equal(part[n], 0xa5);
        }
    }
}

static void test_pbkdf2_rejects_bad_arguments_and_leaves_out_untouched(
    void **state)
{
    unsigned char out[20], ref[20];
    (void)state;

    memset(out, 0xa5, sizeof out);
    memcpy(ref, out, sizeof ref);

    /* iterations 0, dkLen 0, unknown PRF, NULL out / password / salt */
    assert_int_equal(pop3__pbkdf2(POP3__HASH_SHA1, "p", 1, "s", 1, 0, out,
                                  20), POP3_E_INVALID);
    assert_int_equal(pop3__pbkdf2(POP3__HASH_SHA1, "p", 1, "s", 1, 1, out,
                                  0), POP3_E_INVALID);
    assert_int_equal(pop3__pbkdf2((pop3__hash_kind)0, "p", 1, "s", 1, 1, out,
                                  20), POP3_E_INVALID);
    assert_int_equal(pop3__pbkdf2(POP3__HASH_SHA1, "p", 1, "s", 1, 1, NULL,
                                  20), POP3_E_INVALID);
    assert_int_equal(pop3__pbkdf2(POP3__HASH_SHA1, NULL, 1, "s", 1, 1, out,
                                  20), POP3_E_INVALID);
    assert_int_equal(pop3__pbkdf2(POP3__HASH_SHA1, "p", 1, NULL, 1, 1, out,
                                  20), POP3_E_INVALID);
    assert_memory_equal(out, ref, sizeof out);

    /* §5.2 step 1: dkLen > (2^32 - 1) * hLen is "derived key too long"
     * (reachable only with a 64-bit size_t; rejected before any work). */
    if ((size_t)-1 / 20 > (size_t)0xffffffffUL) {
        size_t too_long = (size_t)0xffffffffUL * 20 + 1;

        assert_int_equal(pop3__pbkdf2(POP3__HASH_SHA1, "p", 1, "s", 1, 1,
                                      out, too_long), POP3_E_INVALID);
        assert_memory_equal(out, ref, sizeof out);
    }

    /* An empty password and an empty salt are allowed. */
    assert_int_equal(pop3__pbkdf2(POP3__HASH_SHA1, NULL, 0, NULL, 0, 1, out,
                                  20), POP3_OK);
}

/* ------------------------------------------------------------------------
 * SCRAM (RFC 5802 §3) from these primitives: the worked examples of
 * RFC 5802 §5 (SCRAM-SHA-1) and RFC 7677 §3 (SCRAM-SHA-256).
 * ---------------------------------------------------------------------- */

struct scram_example {
    pop3__hash_kind kind;
    const char *password;
    const char *salt_b64;
    uint32_t iterations;
    const char *auth_message;
    const char *proof_b64;
    const char *server_sig_b64;
};

static void check_scram(const struct scram_example *x)
{
    unsigned char salt[64], salted[POP3__HASH_MAX_LEN];
    unsigned char client_key[POP3__HASH_MAX_LEN], stored_key[POP3__HASH_MAX_LEN];
    unsigned char client_sig[POP3__HASH_MAX_LEN], proof[POP3__HASH_MAX_LEN];
    unsigned char server_key[POP3__HASH_MAX_LEN], server_sig[POP3__HASH_MAX_LEN];
    char b64[64];
    size_t slen, hl = pop3__hash_len(x->kind), i, n;
    const char *am = x->auth_message;

    assert_int_equal(pop3__base64_decode(x->salt_b64, strlen(x->salt_b64),
                                         salt, sizeof salt, &slen),
                     POP3__B64_OK);
    /* SaltedPassword := Hi(Normalize(password), salt, i) */
    assert_int_equal(pop3__pbkdf2(x->kind, x->password, strlen(x->password),
                                  salt, slen, x->iterations, salted, hl),
                     POP3_OK);
    /* ClientKey := HMAC(SaltedPassword, "Client Key"); StoredKey := H() */
    assert_int_equal(pop3__hmac(x->kind, salted, hl, "Client Key", 10,
                                client_key), POP3_OK);
    assert_int_equal(pop3__hash(x->kind, client_key, hl, stored_key),
                     POP3_OK);
    /* ClientProof := ClientKey XOR HMAC(StoredKey, AuthMessage) */
    assert_int_equal(pop3__hmac(x->kind, stored_key, hl, am, strlen(am),
                                client_sig), POP3_OK);
    for (i = 0; i < hl; i++)
        proof[i] = (unsigned char)(client_key[i] ^ client_sig[i]);
    n = pop3__base64_encode(proof, hl, b64);
    b64[n] = '\0';
    assert_string_equal(b64, x->proof_b64);
    /* ServerSignature := HMAC(HMAC(SaltedPassword, "Server Key"), AM) */
    assert_int_equal(pop3__hmac(x->kind, salted, hl, "Server Key", 10,
                                server_key), POP3_OK);
    assert_int_equal(pop3__hmac(x->kind, server_key, hl, am, strlen(am),
                                server_sig), POP3_OK);
    n = pop3__base64_encode(server_sig, hl, b64);
    b64[n] = '\0';
    assert_string_equal(b64, x->server_sig_b64);
}

static void test_scram_sha1_rfc5802_example_proof_and_server_signature(
    void **state)
{
    static const struct scram_example x = {
        POP3__HASH_SHA1, "pencil", "QSXCR+Q6sek8bf92", 4096,
        "n=user,r=fyko+d2lbbFgONRv9qkxdawL,"
        "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,"
        "s=QSXCR+Q6sek8bf92,i=4096,"
        "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j",
        "v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=",
        "rmF9pqV8S7suAoZWja4dJRkFsKQ="
    };
    (void)state;

    check_scram(&x);
}

static void test_scram_sha256_rfc7677_example_proof_and_server_signature(
    void **state)
{
    static const struct scram_example x = {
        POP3__HASH_SHA256, "pencil", "W22ZaJ0SNY7soEsUEjb6gQ==", 4096,
        "n=user,r=rOprNGfwEbeRWgbNEkqO,"
        "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
        "s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,"
        "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0",
        "dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
        "6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="
    };
    (void)state;

    check_scram(&x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha_fips_vectors_fed_whole),
        cmocka_unit_test(test_sha_fips_vectors_fed_byte_by_byte),
        cmocka_unit_test(test_sha_fips_vectors_same_at_every_split_point),
        cmocka_unit_test(
            test_sha_896bit_vector_same_at_every_pair_of_split_points),
        cmocka_unit_test(
            test_sha_one_million_a_whole_bytewise_and_in_irregular_chunks),
        cmocka_unit_test(test_sha_padding_boundaries_at_every_split_point),
        cmocka_unit_test(test_sha_unaligned_input_gives_same_digest),
        cmocka_unit_test(test_sha_zero_length_and_null_updates_change_nothing),
        cmocka_unit_test(test_sha_final_wipes_the_context),
        cmocka_unit_test(test_sha_context_is_reusable_after_init),
        cmocka_unit_test(
            test_hash_len_is_the_digest_size_and_0_for_unknown_kinds),
        cmocka_unit_test(test_hash_one_shot_and_streaming_match_each_hash),
        cmocka_unit_test(test_hash_rejects_unknown_kind_and_null_pointers),
        cmocka_unit_test(test_hmac_rfc2202_rfc4231_rfc2195_vectors_one_shot),
        cmocka_unit_test(
            test_hmac_vectors_streamed_at_every_split_and_byte_by_byte),
        cmocka_unit_test(test_hmac_key_lengths_around_the_block_size),
        cmocka_unit_test(test_hmac_empty_key_and_empty_message),
        cmocka_unit_test(test_hmac_keyed_context_copies_are_independent),
        cmocka_unit_test(test_hmac_final_wipes_the_context),
        cmocka_unit_test(test_hmac_rejects_unknown_kind_and_null_pointers),
        cmocka_unit_test(test_pbkdf2_rfc6070_rfc7914_and_sha256_vectors),
        cmocka_unit_test(test_pbkdf2_rfc6070_case4_16777216_iterations_slow),
        cmocka_unit_test(
            test_pbkdf2_every_output_length_is_a_prefix_of_the_longest),
        cmocka_unit_test(
            test_pbkdf2_rejects_bad_arguments_and_leaves_out_untouched),
        cmocka_unit_test(
            test_scram_sha1_rfc5802_example_proof_and_server_signature),
        cmocka_unit_test(
            test_scram_sha256_rfc7677_example_proof_and_server_signature),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
