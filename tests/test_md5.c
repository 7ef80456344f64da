/*
 * test_md5.c - MD5 (RFC 1321), the APOP digest (RFC 1939 §7), hex
 * encoding, constant-time comparison and wiping.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "internal.h"

/* ------------------------------------------------------------------------
 * Helpers
 * ---------------------------------------------------------------------- */

struct md5_vector {
    const char *input;
    const char *hex;
};

/* RFC 1321 appendix A.5, the complete test suite. */
static const struct md5_vector rfc1321_vectors[] = {
    { "", "d41d8cd98f00b204e9800998ecf8427e" },
    { "a", "0cc175b9c0f1b6a831c399e269772661" },
    { "abc", "900150983cd24fb0d6963f7d28e17f72" },
    { "message digest", "f96b697d7cb7938d525a2f31aaf161d0" },
    { "abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b" },
    { "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
      "d174ab98d277d9f5a5611c2c9f419d9f" },
    { "1234567890123456789012345678901234567890"
      "1234567890123456789012345678901234567890",
      "57edf4a22be3c955ac49da2e2107b67a" }
};

#define N_RFC1321_VECTORS \
    (sizeof rfc1321_vectors / sizeof rfc1321_vectors[0])

static void digest_hex(pop3__md5 *m, char hex[33])
{
    unsigned char d[16];

    pop3__md5_final(m, d);
    pop3__hex(d, sizeof d, hex);
}

/* MD5 of data fed in two parts split at `split`. */
static void md5_split(const void *data, size_t len, size_t split,
                      char hex[33])
{
    const unsigned char *p = (const unsigned char *)data;
    pop3__md5 m;

    pop3__md5_init(&m);
    pop3__md5_update(&m, p, split);
    pop3__md5_update(&m, p + split, len - split);
    digest_hex(&m, hex);
}

/* ------------------------------------------------------------------------
 * MD5: RFC 1321 known answers under every chunking
 * ---------------------------------------------------------------------- */

static void test_md5_rfc1321_vectors_fed_whole(void **state)
{
    size_t i;
    (void)state;

    for (i = 0; i < N_RFC1321_VECTORS; i++) {
        pop3__md5 m;
        char hex[33];

        pop3__md5_init(&m);
        pop3__md5_update(&m, rfc1321_vectors[i].input,
                         strlen(rfc1321_vectors[i].input));
        digest_hex(&m, hex);
        assert_string_equal(hex, rfc1321_vectors[i].hex);
    }
}

static void test_md5_rfc1321_vectors_fed_byte_by_byte(void **state)
{
    size_t i, j;
    (void)state;

    for (i = 0; i < N_RFC1321_VECTORS; i++) {
        const char *in = rfc1321_vectors[i].input;
        size_t len = strlen(in);
        pop3__md5 m;
        char hex[33];

        pop3__md5_init(&m);
        for (j = 0; j < len; j++)
            pop3__md5_update(&m, in + j, 1);
        digest_hex(&m, hex);
        assert_string_equal(hex, rfc1321_vectors[i].hex);
    }
}

static void test_md5_rfc1321_vectors_same_at_every_split_point(void **state)
{
    size_t i, split;
    (void)state;

    for (i = 0; i < N_RFC1321_VECTORS; i++) {
        const char *in = rfc1321_vectors[i].input;
        size_t len = strlen(in);

        for (split = 0; split <= len; split++) {
            char hex[33];

            md5_split(in, len, split, hex);
            assert_string_equal(hex, rfc1321_vectors[i].hex);
        }
    }
}

static void test_md5_zero_length_updates_change_nothing(void **state)
{
    pop3__md5 m;
    char hex[33];
    (void)state;

    pop3__md5_init(&m);
    pop3__md5_update(&m, "ab", 0);
    pop3__md5_update(&m, NULL, 0);
    pop3__md5_update(&m, "a", 1);
    pop3__md5_update(&m, "zz", 0);
    pop3__md5_update(&m, "bc", 2);
    pop3__md5_update(&m, NULL, 0);
    digest_hex(&m, hex);
    assert_string_equal(hex, "900150983cd24fb0d6963f7d28e17f72");
}

/* Lengths around the 56- and 64-octet padding boundaries, where the
 * length field does or does not fit in the final block.  Input byte i is
 * (i * 131 + 7) mod 256; answers computed independently. */
static void test_md5_padding_boundaries_and_split_points(void **state)
{
    static const struct {
        size_t len;
        const char *hex;
    } cases[] = {
        { 55, "852e13533f66e414bbbbb3348de4f81f" },
        { 56, "98e8cb3457434649644b5fe9f4e5e4fa" },
        { 57, "d04618e1f7181650056a79ed93eaef2a" },
        { 63, "c9803ddca3b148d91d5f214be64197d4" },
        { 64, "bc00c8534af1e5aef0ede584d8ad5bc3" },
        { 65, "4e114d3e0baf5ace365e0552a3273291" },
        { 119, "e0c0cb3cbc027ba4d5a6c983754f2dc1" },
        { 120, "3d7a96a57e721a4e2c2cbe55937e10e2" },
        { 127, "886a64f47659d525b55b12fac127c4a1" },
        { 128, "154b8c17cfb174384edd9557e3e64e2b" },
        { 129, "771291c2c3527df3fbc0c2f6d4aeb9b4" }
    };
    unsigned char data[129];
    size_t i, split;
    (void)state;

    for (i = 0; i < sizeof data; i++)
        data[i] = (unsigned char)((i * 131u + 7u) & 0xffu);

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        for (split = 0; split <= cases[i].len; split++) {
            char hex[33];

            md5_split(data, cases[i].len, split, hex);
            assert_string_equal(hex, cases[i].hex);
        }
    }
}

/* Input that is not aligned for 32-bit loads hashes the same. */
static void test_md5_unaligned_input_gives_same_digest(void **state)
{
    static const char msg[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    unsigned char buf[sizeof msg + 8];
    size_t off, len = sizeof msg - 1;
    (void)state;

    for (off = 0; off < 8; off++) {
        pop3__md5 m;
        char hex[33];

        memcpy(buf + off, msg, len);
        pop3__md5_init(&m);
        pop3__md5_update(&m, buf + off, len);
        digest_hex(&m, hex);
        assert_string_equal(hex, "d174ab98d277d9f5a5611c2c9f419d9f");
    }
}

#define MILLION 1000000u

static void test_md5_million_a_whole_and_in_irregular_chunks(void **state)
{
    static unsigned char a[MILLION];
    pop3__md5 m;
    char hex[33];
    size_t off, chunk;
    (void)state;

    memset(a, 'a', sizeof a);

    pop3__md5_init(&m);
    pop3__md5_update(&m, a, sizeof a);
    digest_hex(&m, hex);
    assert_string_equal(hex, "7707d6ae4e027c70eea2a935c2296f21");

    /* Chunk sizes 1, 2, ... 200, 1, 2, ...: every buffer fill level. */
    pop3__md5_init(&m);
    for (off = 0, chunk = 1; off < sizeof a; chunk = chunk % 200u + 1u) {
        size_t n = sizeof a - off < chunk ? sizeof a - off : chunk;

        pop3__md5_update(&m, a + off, n);
        off += n;
    }
    digest_hex(&m, hex);
    assert_string_equal(hex, "7707d6ae4e027c70eea2a935c2296f21");
}

static void test_md5_final_wipes_the_context(void **state)
{
    static const unsigned char zero[sizeof(pop3__md5)];
    pop3__md5 m;
    unsigned char d[16];
    (void)state;

    pop3__md5_init(&m);
    pop3__md5_update(&m, "tanstaaf", 8);
    pop3__md5_final(&m, d);
    assert_memory_equal(&m, zero, sizeof m);
}

static void test_md5_context_is_reusable_after_init(void **state)
{
    pop3__md5 m;
    char hex[33];
    (void)state;

    pop3__md5_init(&m);
    pop3__md5_update(&m, "message digest", 14);
    digest_hex(&m, hex);
    assert_string_equal(hex, "f96b697d7cb7938d525a2f31aaf161d0");

    pop3__md5_init(&m);
    pop3__md5_update(&m, "abc", 3);
    digest_hex(&m, hex);
    assert_string_equal(hex, "900150983cd24fb0d6963f7d28e17f72");
}

/* ------------------------------------------------------------------------
 * APOP digest (RFC 1939 §7)
 * ---------------------------------------------------------------------- */

#define RFC1939_TIMESTAMP "<1896.697170952@dbc.mtview.ca.us>"
#define RFC1939_SECRET    "tanstaaf"
#define RFC1939_DIGEST    "c4c9334bac560ecc979e58001b3e22fb"

static void test_apop_digest_matches_rfc1939_example(void **state)
{
    char hex[33];
    (void)state;

    memset(hex, 'X', sizeof hex);
    pop3_apop_digest(RFC1939_TIMESTAMP, RFC1939_SECRET,
                     strlen(RFC1939_SECRET), hex);
    assert_string_equal(hex, RFC1939_DIGEST);
    assert_int_equal(hex[32], '\0');
}

static void test_apop_digest_is_md5_of_timestamp_then_secret(void **state)
{
    static const char both[] = RFC1939_TIMESTAMP RFC1939_SECRET;
    pop3__md5 m;
    char want[33], got[33];
    (void)state;

    pop3__md5_init(&m);
    pop3__md5_update(&m, both, sizeof both - 1);
    digest_hex(&m, want);
    pop3_apop_digest(RFC1939_TIMESTAMP, RFC1939_SECRET,
                     strlen(RFC1939_SECRET), got);
    assert_string_equal(got, want);
}

static void test_apop_digest_uses_secret_len_not_nul(void **state)
{
    /* A secret with an embedded NUL: all secret_len octets count. */
    static const char secret[] = { 't', 'a', '\0', 'n' };
    static const char both[] = { 'x', 't', 'a', '\0', 'n' };
    pop3__md5 m;
    char want[33], got[33], shorter[33];
    (void)state;

    pop3__md5_init(&m);
    pop3__md5_update(&m, both, sizeof both);
    digest_hex(&m, want);
    pop3_apop_digest("x", secret, sizeof secret, got);
    assert_string_equal(got, want);

    pop3_apop_digest("x", secret, 2, shorter);
    assert_string_not_equal(shorter, want);
}

static void test_apop_digest_output_is_lowercase_hex(void **state)
{
    char hex[33];
    size_t i;
    (void)state;

    pop3_apop_digest("<1.2@x>", "secret", 6, hex);
    assert_int_equal(strlen(hex), 32);
    for (i = 0; i < 32; i++)
        assert_non_null(strchr("0123456789abcdef", hex[i]));
}

/* ------------------------------------------------------------------------
 * pop3__hex
 * ---------------------------------------------------------------------- */

static void test_hex_is_lowercase_high_nibble_first(void **state)
{
    static const unsigned char in[] = { 0x00, 0x01, 0x7f, 0x80, 0xab,
                                        0xcd, 0xef, 0xff, 0x10, 0x9a };
    char out[2 * sizeof in + 1];
    (void)state;

    pop3__hex(in, sizeof in, out);
    assert_string_equal(out, "00017f80abcdefff109a");
}

static void test_hex_covers_every_byte_value(void **state)
{
    static const char digits[] = "0123456789abcdef";
    unsigned char in[256];
    char out[2 * 256 + 1];
    size_t i;
    (void)state;

    for (i = 0; i < 256; i++)
        in[i] = (unsigned char)i;
    pop3__hex(in, sizeof in, out);
    for (i = 0; i < 256; i++) {
        assert_int_equal(out[2 * i], digits[i >> 4]);
        assert_int_equal(out[2 * i + 1], digits[i & 15u]);
    }
    assert_int_equal(out[512], '\0');
}

static void test_hex_writes_exactly_2n_plus_nul(void **state)
{
    static const unsigned char in[] = { 0xde, 0xad };
    char out[8];
    (void)state;

    memset(out, '#', sizeof out);
    pop3__hex(in, 2, out);
    assert_memory_equal(out, "dead\0###", 8);

    memset(out, '#', sizeof out);
    pop3__hex(in, 0, out);
    assert_int_equal(out[0], '\0');
    assert_int_equal(out[1], '#');
}

/* ------------------------------------------------------------------------
 * pop3_ct_equal
 * ---------------------------------------------------------------------- */

#define CT_LEN 40

static void test_ct_equal_true_for_identical_buffers(void **state)
{
    unsigned char a[CT_LEN], b[CT_LEN];
    size_t n;
    (void)state;

    for (n = 0; n < CT_LEN; n++)
        a[n] = b[n] = (unsigned char)(n * 37u + 1u);
    for (n = 0; n <= CT_LEN; n++)
        assert_int_equal(pop3_ct_equal(a, b, n), 1);
    assert_int_equal(pop3_ct_equal(a, a, CT_LEN), 1);
}

static void test_ct_equal_false_for_difference_at_every_position(void **state)
{
    unsigned char a[CT_LEN], b[CT_LEN];
    size_t pos;
    unsigned bit;
    (void)state;

    for (pos = 0; pos < CT_LEN; pos++)
        a[pos] = (unsigned char)(pos * 37u + 1u);

    for (pos = 0; pos < CT_LEN; pos++) {
        /* Every single-bit difference at this position. */
        for (bit = 0; bit < 8; bit++) {
            memcpy(b, a, sizeof a);
            b[pos] = (unsigned char)(b[pos] ^ (1u << bit));
            assert_int_equal(pop3_ct_equal(a, b, CT_LEN), 0);
            assert_int_equal(pop3_ct_equal(b, a, CT_LEN), 0);
            /* A prefix that stops before the difference is equal. */
            assert_int_equal(pop3_ct_equal(a, b, pos), 1);
            assert_int_equal(pop3_ct_equal(a, b, pos + 1), 0);
        }
        /* All bits different. */
        memcpy(b, a, sizeof a);
        b[pos] = (unsigned char)~b[pos];
        assert_int_equal(pop3_ct_equal(a, b, CT_LEN), 0);
    }
}

static void test_ct_equal_zero_length_is_equal(void **state)
{
    (void)state;

    assert_int_equal(pop3_ct_equal("abc", "xyz", 0), 1);
    assert_int_equal(pop3_ct_equal(NULL, NULL, 0), 1);
}

static void test_ct_equal_returns_exactly_0_or_1(void **state)
{
    (void)state;

    assert_int_equal(pop3_ct_equal("\xff\xff", "\x00\x00", 2), 0);
    assert_int_equal(pop3_ct_equal("\x80", "\x7f", 1), 0);
    assert_int_equal(pop3_ct_equal("\x00", "\x00", 1), 1);
    assert_int_equal(pop3_ct_equal("\xff", "\xff", 1), 1);
}

/* ------------------------------------------------------------------------
 * pop3__wipe
 * ---------------------------------------------------------------------- */

static void test_wipe_zeroes_exactly_the_range(void **state)
{
    unsigned char buf[64];
    size_t i;
    (void)state;

    memset(buf, 0xa5, sizeof buf);
    pop3__wipe(buf + 8, 40);
    for (i = 0; i < sizeof buf; i++)
        assert_int_equal(buf[i], (i >= 8 && i < 48) ? 0x00 : 0xa5);
}

static void test_wipe_zero_length_touches_nothing(void **state)
{
    unsigned char buf[4] = { 1, 2, 3, 4 };
    (void)state;

    pop3__wipe(buf, 0);
    assert_int_equal(buf[0], 1);
    assert_int_equal(buf[3], 4);
    pop3__wipe(NULL, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_md5_rfc1321_vectors_fed_whole),
        cmocka_unit_test(test_md5_rfc1321_vectors_fed_byte_by_byte),
        cmocka_unit_test(test_md5_rfc1321_vectors_same_at_every_split_point),
        cmocka_unit_test(test_md5_zero_length_updates_change_nothing),
        cmocka_unit_test(test_md5_padding_boundaries_and_split_points),
        cmocka_unit_test(test_md5_unaligned_input_gives_same_digest),
        cmocka_unit_test(test_md5_million_a_whole_and_in_irregular_chunks),
        cmocka_unit_test(test_md5_final_wipes_the_context),
        cmocka_unit_test(test_md5_context_is_reusable_after_init),
        cmocka_unit_test(test_apop_digest_matches_rfc1939_example),
        cmocka_unit_test(test_apop_digest_is_md5_of_timestamp_then_secret),
        cmocka_unit_test(test_apop_digest_uses_secret_len_not_nul),
        cmocka_unit_test(test_apop_digest_output_is_lowercase_hex),
        cmocka_unit_test(test_hex_is_lowercase_high_nibble_first),
        cmocka_unit_test(test_hex_covers_every_byte_value),
        cmocka_unit_test(test_hex_writes_exactly_2n_plus_nul),
        cmocka_unit_test(test_ct_equal_true_for_identical_buffers),
        cmocka_unit_test(test_ct_equal_false_for_difference_at_every_position),
        cmocka_unit_test(test_ct_equal_zero_length_is_equal),
        cmocka_unit_test(test_ct_equal_returns_exactly_0_or_1),
        cmocka_unit_test(test_wipe_zeroes_exactly_the_range),
        cmocka_unit_test(test_wipe_zero_length_touches_nothing),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
