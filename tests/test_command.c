/*
 * test_command.c - the command tokenizer (RFC 1939 §3, RFC 2449 §4) and
 * the number parser, including reads that end at an inaccessible page.
 */
#define _DEFAULT_SOURCE 1
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "internal.h"

static pop3__command parse(const char *line, unsigned flags)
{
    pop3__command c;
    pop3__parse_command(line, strlen(line), flags, &c);
    return c;
}

static void keyword_is_case_insensitive(void **state)
{
    (void)state;
    pop3__command c = parse("sTaT", 0);
    assert_int_equal(c.status, POP3__PARSE_OK);
    assert_non_null(c.def);
    assert_int_equal(c.def->id, POP3__CMD_STAT);
    assert_string_equal(c.verb, "STAT");
    c = parse("top 1 2", 0);
    assert_int_equal(c.def->id, POP3__CMD_TOP);
}

static void keyword_longer_than_four_is_unknown(void **state)
{
    (void)state;
    pop3__command c = parse("STATS", 0);
    assert_int_equal(c.status, POP3__PARSE_UNKNOWN);
    assert_null(c.def);
    assert_string_equal(c.verb, "");
    c = parse("XTND XMIT", 0);
    assert_int_equal(c.status, POP3__PARSE_UNKNOWN);
    assert_string_equal(c.verb, "XTND");
    c = parse("", 0);
    assert_int_equal(c.status, POP3__PARSE_UNKNOWN);
}

static void arguments_split_by_single_space(void **state)
{
    (void)state;
    pop3__command c = parse("TOP 12 0", 0);
    assert_int_equal(c.status, POP3__PARSE_OK);
    assert_int_equal(c.argc, 2);
    assert_int_equal(c.argl[0], 2);
    assert_memory_equal(c.argv[0], "12", 2);
    assert_memory_equal(c.argv[1], "0", 1);
}

static void strict_rejects_double_space_and_trailing_space(void **state)
{
    (void)state;
    assert_int_equal(parse("LIST  1", 0).status, POP3__PARSE_USAGE);
    assert_int_equal(parse("LIST 1 ", 0).status, POP3__PARSE_USAGE);
    assert_int_equal(parse("STAT ", 0).status, POP3__PARSE_USAGE);
    assert_int_equal(parse("TOP 1\t2", 0).status, POP3__PARSE_BADCHAR);
}

static void lenient_accepts_tabs_and_runs_of_spaces(void **state)
{
    (void)state;
    pop3__command c = parse("TOP  1\t 2 ", POP3_CFG_LENIENT_SPACES);
    assert_int_equal(c.status, POP3__PARSE_OK);
    assert_int_equal(c.argc, 2);
    assert_memory_equal(c.argv[1], "2", 1);
    assert_int_equal(parse("STAT ", POP3_CFG_LENIENT_SPACES).status, POP3__PARSE_OK);
}

static void wrong_argument_count_is_usage(void **state)
{
    (void)state;
    assert_int_equal(parse("STAT 1", 0).status, POP3__PARSE_USAGE);
    assert_int_equal(parse("RETR", 0).status, POP3__PARSE_USAGE);
    assert_int_equal(parse("TOP 1", 0).status, POP3__PARSE_USAGE);
    assert_int_equal(parse("LIST 1 2", 0).status, POP3__PARSE_USAGE);
    assert_int_equal(parse("APOP a b c", 0).status, POP3__PARSE_USAGE);
    assert_int_equal(parse("USER", 0).status, POP3__PARSE_USAGE);
    assert_int_equal(parse("PASS", 0).status, POP3__PARSE_USAGE);
    assert_int_equal(parse("PASS ", 0).status, POP3__PARSE_USAGE);
}

static void pass_argument_is_rest_of_line_with_spaces(void **state)
{
    (void)state;
    pop3__command c = parse("PASS  my secret  phrase ", 0);
    assert_int_equal(c.status, POP3__PARSE_OK);
    assert_int_equal(c.argc, 1);
    assert_int_equal(c.argl[0], strlen(" my secret  phrase "));
    assert_memory_equal(c.argv[0], " my secret  phrase ", c.argl[0]);
}

static void argument_over_40_characters_rejected(void **state)
{
    (void)state;
    char line[64] = "USER ";
    memset(line + 5, 'a', 40);
    line[45] = '\0';
    assert_int_equal(parse(line, 0).status, POP3__PARSE_OK);
    line[45] = 'a';
    line[46] = '\0';
    assert_int_equal(parse(line, 0).status, POP3__PARSE_ARG_TOO_LONG);
    /* PASS is exempt (RFC 1939 §7). */
    memcpy(line, "PASS ", 5);
    assert_int_equal(parse(line, 0).status, POP3__PARSE_OK);
}

static void forty_utf8_characters_are_not_too_long(void **state)
{
    (void)state;
    char line[5 + 80 + 1] = "USER ";
    for (int i = 0; i < 40; i++) {          /* 40 x U+00E9, 80 octets */
        line[5 + 2 * i] = (char)0xC3;
        line[6 + 2 * i] = (char)0xA9;
    }
    line[85] = '\0';
    assert_int_equal(parse(line, 0).status, POP3__PARSE_OK);
}

static void control_byte_anywhere_rejects_line(void **state)
{
    (void)state;
    const char nul_line[] = "USER a\0b";
    pop3__command c;
    pop3__parse_command(nul_line, sizeof nul_line - 1, 0, &c);
    assert_int_equal(c.status, POP3__PARSE_BADCHAR);
    assert_int_equal(parse("STAT\r", 0).status, POP3__PARSE_BADCHAR);
    assert_int_equal(parse("NO\x7fOP", 0).status, POP3__PARSE_BADCHAR);
    assert_int_equal(parse("PASS a\x01", 0).status, POP3__PARSE_BADCHAR);
}

static void number_is_digits_only(void **state)
{
    (void)state;
    uint64_t v = 7;
    assert_int_equal(pop3__parse_number("0012", 4, &v), 0);
    assert_int_equal(v, 12);
    assert_int_equal(pop3__parse_number("-1", 2, &v), -1);
    assert_int_equal(pop3__parse_number("+1", 2, &v), -1);
    assert_int_equal(pop3__parse_number("", 0, &v), -1);
    assert_int_equal(pop3__parse_number("x", 1, &v), -1);
    assert_int_equal(pop3__parse_number("1x", 2, &v), -2);
    assert_int_equal(pop3__parse_number("1.5", 3, &v), -2);
}

static void number_overflow_saturates_never_wraps(void **state)
{
    (void)state;
    uint64_t v = 0;
    assert_int_equal(pop3__parse_number("18446744073709551615", 20, &v), 0);
    assert_true(v == UINT64_MAX);
    assert_int_equal(pop3__parse_number("18446744073709551616", 20, &v), 0);
    assert_true(v == UINT64_MAX);
    assert_int_equal(pop3__parse_number("4294967297", 10, &v), 0);
    assert_true(v == 4294967297u);
}

/* Every line length ending exactly at a PROT_NONE page: any over-read by
 * the tokenizer or the number parser faults. */
static void tokenizer_never_reads_past_the_line(void **state)
{
    (void)state;
    long page = sysconf(_SC_PAGESIZE);
    unsigned char *m = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(m != MAP_FAILED);
    assert_int_equal(mprotect(m + page, (size_t)page, PROT_NONE), 0);
    static const char *const samples[] = {
        "TOP 1 2", "PASS secret words", "USER alice", "LIST ", "APOP a 0123",
        "STAT", "X", "RETR 99999999999999999999999", "TOP 1 2 3 4 5 6",
    };
    for (size_t k = 0; k < sizeof samples / sizeof samples[0]; k++) {
        for (unsigned flags = 0; flags <= POP3_CFG_LENIENT_SPACES;
             flags += POP3_CFG_LENIENT_SPACES) {
            size_t full = strlen(samples[k]);
            for (size_t len = 0; len <= full; len++) {
                char *line = (char *)m + page - len;
                pop3__command c;
                uint64_t v;
                memcpy(line, samples[k], len);
                pop3__parse_command(line, len, flags, &c);
                for (int a = 0; a < c.argc; a++) {
                    assert_true(c.argv[a] >= line);
                    assert_true(c.argv[a] + c.argl[a] <= line + len);
                    (void)pop3__parse_number(c.argv[a], c.argl[a], &v);
                }
                if (c.args)
                    assert_true(c.args + c.args_len == line + len);
            }
        }
    }
    munmap(m, (size_t)page * 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(keyword_is_case_insensitive),
        cmocka_unit_test(keyword_longer_than_four_is_unknown),
        cmocka_unit_test(arguments_split_by_single_space),
        cmocka_unit_test(strict_rejects_double_space_and_trailing_space),
        cmocka_unit_test(lenient_accepts_tabs_and_runs_of_spaces),
        cmocka_unit_test(wrong_argument_count_is_usage),
        cmocka_unit_test(pass_argument_is_rest_of_line_with_spaces),
        cmocka_unit_test(argument_over_40_characters_rejected),
        cmocka_unit_test(forty_utf8_characters_are_not_too_long),
        cmocka_unit_test(control_byte_anywhere_rejects_line),
        cmocka_unit_test(number_is_digits_only),
        cmocka_unit_test(number_overflow_saturates_never_wraps),
        cmocka_unit_test(tokenizer_never_reads_past_the_line),
    };
    return cmocka_run_group_tests_name("command", tests, NULL, NULL);
}
