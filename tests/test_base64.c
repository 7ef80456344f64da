/*
 * test_base64.c - base64 (RFC 4648 §4): the §10 test vectors both ways,
 * the alphabet of Table 1, every strictness rule of the decoder, output
 * bounds, round trips and in-place decoding.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "crypto.h"

/* RFC 4648 §4, Table 1, value 0 to 63. */
static const char table1[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int in_alphabet(int c)
{
    return c != '\0' && strchr(table1, c) != NULL;
}

static unsigned table1_value(char c)
{
    const char *p = strchr(table1, c);

    assert_non_null(p);
    return (unsigned)(p - table1);
}

/* Decode a NUL-terminated string; returns the status. */
static int dec(const char *s, unsigned char *out, size_t cap, size_t *n)
{
    return pop3__base64_decode(s, strlen(s), out, cap, n);
}

static int dec_status(const char *s)
{
    unsigned char out[64];
    size_t n = 12345;
    int rc = dec(s, out, sizeof out, &n);

    if (rc != POP3__B64_OK)
        assert_int_equal(n, 0);     /* *outlen is 0 on every error but SPACE */
    return rc;
}

/* A deterministic pseudo-random octet stream (64-bit LCG, high byte). */
static uint64_t lcg_state;

static unsigned char lcg_byte(void)
{
    lcg_state = lcg_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned char)(lcg_state >> 56);
}

/* ------------------------------------------------------------------------
 * RFC 4648 §10 test vectors
 * ---------------------------------------------------------------------- */

static const struct {
    const char *raw;
    const char *b64;
} rfc4648_vectors[] = {
    { "", "" },
    { "f", "Zg==" },
    { "fo", "Zm8=" },
    { "foo", "Zm9v" },
    { "foob", "Zm9vYg==" },
    { "fooba", "Zm9vYmE=" },
    { "foobar", "Zm9vYmFy" }
};

#define N_RFC4648 (sizeof rfc4648_vectors / sizeof rfc4648_vectors[0])

static void test_base64_rfc4648_s10_vectors_encode(void **state)
{
    size_t i;
    (void)state;

    for (i = 0; i < N_RFC4648; i++) {
        char out[16];
        size_t rl = strlen(rfc4648_vectors[i].raw);
        size_t n;

        memset(out, '#', sizeof out);
        n = pop3__base64_encode(rfc4648_vectors[i].raw, rl, out);
        assert_int_equal(n, strlen(rfc4648_vectors[i].b64));
        assert_int_equal(n, pop3__base64_encoded_len(rl));
        assert_memory_equal(out, rfc4648_vectors[i].b64, n);
        assert_int_equal(out[n], '#');          /* no NUL, nothing more */
    }
}

static void test_base64_rfc4648_s10_vectors_decode(void **state)
{
    size_t i;
    (void)state;

    for (i = 0; i < N_RFC4648; i++) {
        unsigned char out[16];
        size_t n = 999;

        memset(out, '#', sizeof out);
        assert_int_equal(dec(rfc4648_vectors[i].b64, out, sizeof out, &n),
                         POP3__B64_OK);
        assert_int_equal(n, strlen(rfc4648_vectors[i].raw));
        assert_memory_equal(out, rfc4648_vectors[i].raw, n);
        assert_int_equal(out[n], '#');          /* nothing past *outlen */
    }
}

/* ------------------------------------------------------------------------
 * Lengths and the alphabet
 * ---------------------------------------------------------------------- */

static void test_base64_encoded_len_is_4_ceil_n_over_3_or_0_on_overflow(
    void **state)
{
    size_t n;
    (void)state;

    for (n = 0; n < 1000; n++)
        assert_int_equal(pop3__base64_encoded_len(n), 4 * ((n + 2) / 3));
    /* Results past SIZE_MAX are reported as 0, never wrapped. */
    assert_int_equal(pop3__base64_encoded_len((size_t)-1), 0);
    assert_int_equal(pop3__base64_encoded_len((size_t)-1 / 4 * 3 + 3), 0);
    assert_int_equal(pop3__base64_encoded_len((size_t)-1 / 4 * 3),
                     (size_t)-1 / 4 * 4);
}

static void test_base64_decoded_max_is_three_per_four_characters(
    void **state)
{
    (void)state;

    assert_int_equal(pop3__base64_decoded_max(0), 0);
    assert_int_equal(pop3__base64_decoded_max(4), 3);
    assert_int_equal(pop3__base64_decoded_max(8), 6);
    assert_int_equal(pop3__base64_decoded_max(7), 3);
    assert_int_equal(pop3__base64_decoded_max((size_t)-1),
                     (size_t)-1 / 4 * 3);
}

/* Each 6-bit value, in each of the four positions of a group, becomes its
 * Table 1 character, and decodes back. */
static void test_base64_every_6bit_value_maps_to_its_table1_character(
    void **state)
{
    unsigned v, pos, j;
    (void)state;

    for (v = 0; v < 64; v++)
        for (pos = 0; pos < 4; pos++) {
            unsigned long w = (unsigned long)v << (18 - 6 * pos);
            unsigned char raw[3], back[3];
            char out[4];
            size_t n;

            raw[0] = (unsigned char)((w >> 16) & 0xff);
            raw[1] = (unsigned char)((w >> 8) & 0xff);
            raw[2] = (unsigned char)(w & 0xff);
            assert_int_equal(pop3__base64_encode(raw, 3, out), 4);
            assert_int_equal(out[pos], table1[v]);
            for (j = 0; j < 4; j++)
                if (j != pos)
                    assert_int_equal(out[j], 'A');      /* value 0 */
            assert_int_equal(pop3__base64_decode(out, 4, back, 3, &n),
                             POP3__B64_OK);
            assert_int_equal(n, 3);
            assert_memory_equal(back, raw, 3);
        }
}

/* Each Table 1 character, at each position of two unpadded groups,
 * decodes to its value there: the octets re-encode to the same text and
 * carry the value at the expected bit offset. */
static void test_base64_decode_accepts_every_alphabet_character_anywhere(
    void **state)
{
    size_t i;
    (void)state;

    for (i = 0; i < 64; i++) {
        char in[8], again[8];
        unsigned char out[6];
        size_t n, pos;

        for (pos = 0; pos < 8; pos++) {
            unsigned long w;
            size_t g = pos / 4 * 3;

            memcpy(in, "AAAAAAAA", 8);
            in[pos] = table1[i];
            assert_int_equal(pop3__base64_decode(in, 8, out, sizeof out, &n),
                             POP3__B64_OK);
            assert_int_equal(n, 6);
            w = ((unsigned long)out[g] << 16) | ((unsigned long)out[g + 1] << 8)
                | (unsigned long)out[g + 2];
            assert_int_equal((w >> (18 - 6 * (pos % 4))) & 0x3f,
                             table1_value(table1[i]));
            assert_int_equal(pop3__base64_encode(out, 6, again), 8);
            assert_memory_equal(again, in, 8);
        }
    }
}

/* ------------------------------------------------------------------------
 * Strictness: each rule rejected, with its own code
 * ---------------------------------------------------------------------- */

/* Missing padding, truncation, or extra characters: the length is not a
 * multiple of 4. */
static void test_base64_decode_rejects_missing_padding_and_bad_length(
    void **state)
{
    static const char *const bad[] = {
        "Z", "Zg", "Zg=", "Zm8", "Zm9vY", "Zm9vYg", "Zm9vYg=", "Zm9vYmE",
        "Zm9vYmFy=", "Zg===", "Zm9v=", "Zm9vYmFyZ"
    };
    size_t i;
    (void)state;

    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(dec_status(bad[i]), POP3__B64_E_LENGTH);
}

/* Every octet that is neither in Table 1 nor '=', at every position of
 * both groups of an otherwise valid input. */
static void test_base64_decode_rejects_every_octet_outside_the_alphabet(
    void **state)
{
    int c;
    (void)state;

    for (c = 0; c < 256; c++) {
        size_t pos;

        if (in_alphabet(c) || c == '=')
            continue;
        for (pos = 0; pos < 8; pos++) {
            char in[8];
            unsigned char out[6];
            size_t n = 7;

            memcpy(in, "Zm9vYmFy", 8);
            in[pos] = (char)c;
            assert_int_equal(pop3__base64_decode(in, 8, out, sizeof out, &n),
                             POP3__B64_E_CHAR);
            assert_int_equal(n, 0);
        }
    }
}

static void test_base64_decode_rejects_whitespace_and_line_breaks(
    void **state)
{
    static const char *const bad[] = {
        " Zg=", "Zm9 ", "Zm\r\n", "Zm9v\r\nYg", "Zm9v\tYmE", "\nZm9",
        "Zm9v    ", "Zg=\n" /* '=' then LF: the LF is not padding */
    };
    size_t i;
    (void)state;

    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(dec_status(bad[i]), POP3__B64_E_CHAR);
    /* Whitespace that also breaks the length is a length error. */
    assert_int_equal(dec_status("Zm9v YmFy"), POP3__B64_E_LENGTH);
    assert_int_equal(dec_status("Zg==\r\n"), POP3__B64_E_LENGTH);
}

/* RFC 4648 §5's URL-safe alphabet is a different encoding. */
static void test_base64_decode_rejects_url_safe_alphabet(void **state)
{
    (void)state;

    assert_int_equal(dec_status("-_-_"), POP3__B64_E_CHAR);
    assert_int_equal(dec_status("Zm-v"), POP3__B64_E_CHAR);
    assert_int_equal(dec_status("Zm_v"), POP3__B64_E_CHAR);
    assert_int_equal(dec_status("+/+/"), POP3__B64_OK);
}

/* A NUL inside the given length is data, and not in the alphabet. */
static void test_base64_decode_rejects_nul_inside_the_length(void **state)
{
    unsigned char out[6];
    size_t n;
    (void)state;

    assert_int_equal(pop3__base64_decode("Zm9v\0mFy", 8, out, sizeof out,
                                         &n), POP3__B64_E_CHAR);
    assert_int_equal(pop3__base64_decode("Zg=\0", 4, out, sizeof out, &n),
                     POP3__B64_E_CHAR);
}

static void test_base64_decode_rejects_excess_padding(void **state)
{
    static const char *const bad[] = {
        "Z===", "====", "Zg==Zg==", "Zg======", "Zm9v====", "Zm9vZ===",
        "=Zg="
    };
    size_t i;
    (void)state;

    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(dec_status(bad[i]), POP3__B64_E_PAD);
}

static void test_base64_decode_rejects_padding_in_the_middle(void **state)
{
    static const char *const bad[] = {
        "=m9v", "Z=9v", "Zm=v", "Zm=A", "Zm8=Zm9v", "Zm9vZm8=Zm9v",
        "Zm9vZ=9v", "Zm9vYm=y"
    };
    size_t i;
    (void)state;

    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(dec_status(bad[i]), POP3__B64_E_PAD);
}

/* RFC 4648 §3.5: the bits the padding drops must be zero.  With "==" the
 * second character's low 4 bits are dropped, with "=" the third one's
 * low 2 bits; every character in that position is tried. */
static void test_base64_decode_rejects_nonzero_pad_bits(void **state)
{
    unsigned v;
    (void)state;

    for (v = 0; v < 64; v++) {
        char one[5] = "Zm?=", two[5] = "Z?==";
        unsigned char out[3];
        size_t n;

        two[1] = table1[v];
        assert_int_equal(dec(two, out, sizeof out, &n),
                         (v & 0x0f) == 0 ? POP3__B64_OK : POP3__B64_E_BITS);
        one[2] = table1[v];
        assert_int_equal(dec(one, out, sizeof out, &n),
                         (v & 0x03) == 0 ? POP3__B64_OK : POP3__B64_E_BITS);
    }
    assert_int_equal(dec_status("Zh=="), POP3__B64_E_BITS);
    assert_int_equal(dec_status("Zm9="), POP3__B64_E_BITS);
    assert_int_equal(dec_status("Zm9vYmF="), POP3__B64_E_BITS);
    assert_int_equal(dec_status("Zm9vYh=="), POP3__B64_E_BITS);
}

/* An output buffer one octet short is refused whole, with the size
 * needed, for every vector and every shortfall. */
static void test_base64_decode_rejects_small_output_and_reports_size(
    void **state)
{
    size_t i;
    (void)state;

    for (i = 1; i < N_RFC4648; i++) {
        const char *b64 = rfc4648_vectors[i].b64;
        size_t need = strlen(rfc4648_vectors[i].raw), cap;

        for (cap = 0; cap < need; cap++) {
            unsigned char out[8];
            size_t n = 0;

            memset(out, '#', sizeof out);
            assert_int_equal(dec(b64, out, cap, &n), POP3__B64_E_SPACE);
            assert_int_equal(n, need);
            assert_int_equal(out[0], '#');
        }
    }
    /* outcap 0 with out NULL asks for the size. */
    {
        size_t n = 0;

        assert_int_equal(pop3__base64_decode("Zm9vYmE=", 8, NULL, 0, &n),
                         POP3__B64_E_SPACE);
        assert_int_equal(n, 5);
    }
}

/* When several rules are broken the first of LENGTH, CHAR, PAD, BITS,
 * SPACE is reported. */
static void test_base64_decode_reports_the_first_broken_rule(void **state)
{
    unsigned char out[1];
    size_t n;
    (void)state;

    assert_int_equal(dec_status("Z =="), POP3__B64_E_CHAR);      /* + BITS */
    assert_int_equal(dec_status("= =="), POP3__B64_E_CHAR);      /* + PAD */
    assert_int_equal(dec_status("= ="), POP3__B64_E_LENGTH);
    assert_int_equal(dec_status("=h=="), POP3__B64_E_PAD);       /* + BITS */
    assert_int_equal(dec("Zh==Zh==", out, 0, &n), POP3__B64_E_PAD);
    assert_int_equal(dec("Zm9vYh==", out, 1, &n), POP3__B64_E_BITS);
}

static void test_base64_decode_error_writes_nothing_and_outlen_is_0(
    void **state)
{
    static const char *const bad[] = {
        "Zm9vYmFy!m9v", "Zm9vYmFyZm=v", "Zm9vYmFyZh==", "Zm9vYmFyZm9"
    };
    size_t i;
    (void)state;

    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        unsigned char out[16], ref[16];
        size_t n = 77;

        memset(out, 0x5a, sizeof out);
        memcpy(ref, out, sizeof ref);
        assert_true(dec(bad[i], out, sizeof out, &n) < 0);
        assert_int_equal(n, 0);
        assert_memory_equal(out, ref, sizeof out);
    }
}

static void test_base64_decode_empty_input_is_empty_output(void **state)
{
    unsigned char out[1] = { 0x5a };
    size_t n = 99;
    (void)state;

    assert_int_equal(pop3__base64_decode("", 0, out, sizeof out, &n),
                     POP3__B64_OK);
    assert_int_equal(n, 0);
    assert_int_equal(out[0], 0x5a);
    n = 99;
    assert_int_equal(pop3__base64_decode(NULL, 0, NULL, 0, &n),
                     POP3__B64_OK);
    assert_int_equal(n, 0);
    assert_int_equal(pop3__base64_encode(NULL, 0, NULL), 0);
}

static void test_base64_rejects_null_pointers(void **state)
{
    unsigned char out[8];
    char enc[8];
    size_t n = 5;
    (void)state;

    assert_int_equal(pop3__base64_decode("Zm9v", 4, out, sizeof out, NULL),
                     POP3__B64_E_INVALID);
    assert_int_equal(pop3__base64_decode(NULL, 4, out, sizeof out, &n),
                     POP3__B64_E_INVALID);
    assert_int_equal(n, 0);
    assert_int_equal(pop3__base64_decode("Zm9v", 4, NULL, 8, &n),
                     POP3__B64_E_INVALID);
    assert_int_equal(pop3__base64_encode(NULL, 3, enc), 0);
    assert_int_equal(pop3__base64_encode("foo", 3, NULL), 0);
}

/* ------------------------------------------------------------------------
 * Round trips and in-place decoding
 * ---------------------------------------------------------------------- */

#define MAX_RT 300

static void test_base64_round_trip_of_pseudo_random_bytes_len_0_to_300(
    void **state)
{
    static unsigned char raw[MAX_RT], back[MAX_RT + 1];
    static char enc[4 * (MAX_RT / 3 + 1) + 1];
    size_t len, i;
    (void)state;

    lcg_state = 0x706f7033u;
    for (len = 0; len <= MAX_RT; len++) {
        size_t elen, n = 12345;

        for (i = 0; i < len; i++)
            raw[i] = lcg_byte();

        memset(enc, '#', sizeof enc);
        elen = pop3__base64_encode(raw, len, enc);
        assert_int_equal(elen, pop3__base64_encoded_len(len));
        assert_int_equal(enc[elen], '#');
        for (i = 0; i < elen; i++)
            assert_true(in_alphabet(enc[i])
                        || (enc[i] == '=' && i + 2 >= elen));

        memset(back, '#', sizeof back);
        assert_int_equal(pop3__base64_decode(enc, elen, back, len, &n),
                         POP3__B64_OK);                 /* exact capacity */
        assert_int_equal(n, len);
        if (len > 0)
            assert_memory_equal(back, raw, len);
        assert_int_equal(back[len], '#');
    }
}

static void test_base64_round_trip_of_all_256_octet_values(void **state)
{
    unsigned char raw[256], back[256];
    char enc[4 * 86];
    size_t i, elen, n;
    (void)state;

    for (i = 0; i < 256; i++)
        raw[i] = (unsigned char)i;
    elen = pop3__base64_encode(raw, 256, enc);
    assert_int_equal(elen, 344);
    assert_int_equal(pop3__base64_decode(enc, elen, back, sizeof back, &n),
                     POP3__B64_OK);
    assert_int_equal(n, 256);
    assert_memory_equal(back, raw, 256);
}

static void test_base64_decode_in_place_len_0_to_300(void **state)
{
    static unsigned char raw[MAX_RT];
    static char buf[4 * (MAX_RT / 3 + 1)];
    size_t len, i;
    (void)state;

    lcg_state = 0x33706f70u;
    for (len = 0; len <= MAX_RT; len++) {
        size_t elen, n = 12345;

        for (i = 0; i < len; i++)
            raw[i] = lcg_byte();
        elen = pop3__base64_encode(raw, len, buf);
        assert_int_equal(pop3__base64_decode(buf, elen, buf, elen, &n),
                         POP3__B64_OK);
        assert_int_equal(n, len);
        if (len > 0)
            assert_memory_equal(buf, raw, len);
    }
}

/* out may also lie before in within the same buffer. */
static void test_base64_decode_in_place_with_output_before_input(
    void **state)
{
    static unsigned char raw[MAX_RT];
    static char buf[4 * (MAX_RT / 3 + 1) + 16];
    size_t len, gap, i;
    (void)state;

    lcg_state = 0x5ca1ab1eu;
    for (len = 0; len <= MAX_RT; len += 7)
        for (gap = 1; gap <= 16; gap++) {
            size_t elen, n = 12345;

            for (i = 0; i < len; i++)
                raw[i] = lcg_byte();
            elen = pop3__base64_encode(raw, len, buf + gap);
            assert_int_equal(pop3__base64_decode(buf + gap, elen, buf,
                                                 sizeof buf, &n),
                             POP3__B64_OK);
            assert_int_equal(n, len);
            if (len > 0)
                assert_memory_equal(buf, raw, len);
        }
}

static void test_base64_decode_in_place_error_leaves_buffer_unchanged(
    void **state)
{
    static const char *const bad[] = {
        "Zm9vYmFyZm9vYmFy!m9v", "Zm9vYmFyZm9vYmFyZm=v",
        "Zm9vYmFyZm9vYmFyZh==", "Zm9vYmFyZm9vYmFyZm9vY"
    };
    size_t i;
    (void)state;

    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char buf[32];
        size_t len = strlen(bad[i]), n = 5;

        memcpy(buf, bad[i], len + 1);
        assert_true(pop3__base64_decode(buf, len, buf, len, &n) < 0);
        assert_int_equal(n, 0);
        assert_string_equal(buf, bad[i]);
    }
    /* Too little room in place: refused before anything is written. */
    {
        char buf[] = "Zm9vYmFy";
        size_t n = 0;

        assert_int_equal(pop3__base64_decode(buf, 8, buf, 5, &n),
                         POP3__B64_E_SPACE);
        assert_int_equal(n, 6);
        assert_string_equal(buf, "Zm9vYmFy");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_base64_rfc4648_s10_vectors_encode),
        cmocka_unit_test(test_base64_rfc4648_s10_vectors_decode),
        cmocka_unit_test(
            test_base64_encoded_len_is_4_ceil_n_over_3_or_0_on_overflow),
        cmocka_unit_test(test_base64_decoded_max_is_three_per_four_characters),
        cmocka_unit_test(
            test_base64_every_6bit_value_maps_to_its_table1_character),
        cmocka_unit_test(
            test_base64_decode_accepts_every_alphabet_character_anywhere),
        cmocka_unit_test(
            test_base64_decode_rejects_missing_padding_and_bad_length),
        cmocka_unit_test(
            test_base64_decode_rejects_every_octet_outside_the_alphabet),
        cmocka_unit_test(test_base64_decode_rejects_whitespace_and_line_breaks),
        cmocka_unit_test(test_base64_decode_rejects_url_safe_alphabet),
        cmocka_unit_test(test_base64_decode_rejects_nul_inside_the_length),
        cmocka_unit_test(test_base64_decode_rejects_excess_padding),
        cmocka_unit_test(test_base64_decode_rejects_padding_in_the_middle),
        cmocka_unit_test(test_base64_decode_rejects_nonzero_pad_bits),
        cmocka_unit_test(
            test_base64_decode_rejects_small_output_and_reports_size),
        cmocka_unit_test(test_base64_decode_reports_the_first_broken_rule),
        cmocka_unit_test(
            test_base64_decode_error_writes_nothing_and_outlen_is_0),
        cmocka_unit_test(test_base64_decode_empty_input_is_empty_output),
        cmocka_unit_test(test_base64_rejects_null_pointers),
        cmocka_unit_test(
            test_base64_round_trip_of_pseudo_random_bytes_len_0_to_300),
        cmocka_unit_test(test_base64_round_trip_of_all_256_octet_values),
        cmocka_unit_test(test_base64_decode_in_place_len_0_to_300),
        cmocka_unit_test(
            test_base64_decode_in_place_with_output_before_input),
        cmocka_unit_test(
            test_base64_decode_in_place_error_leaves_buffer_unchanged),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
