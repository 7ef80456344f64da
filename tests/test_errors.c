/*
 * test_errors.c - error names, descriptions, the fatal threshold and the
 * version functions.  Every table-wide check is generated from
 * POP3_ERROR_TABLE, so a new row is tested without editing this file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "pop3.h"

struct error_row {
    int code;
    const char *name;
    const char *text;
};

static const struct error_row error_rows[] = {
#define X_ROW_(name, value, text) { name, #name, text },
    POP3_ERROR_TABLE(X_ROW_)
#undef X_ROW_
};

#define N_ERROR_ROWS (sizeof error_rows / sizeof error_rows[0])

static void test_error_name_matches_table_for_every_code(void **state)
{
    size_t i;
    (void)state;

    for (i = 0; i < N_ERROR_ROWS; i++)
        assert_string_equal(pop3_error_name(error_rows[i].code),
                            error_rows[i].name);
}

static void test_strerror_matches_table_and_is_nonempty(void **state)
{
    size_t i;
    (void)state;

    for (i = 0; i < N_ERROR_ROWS; i++) {
        const char *s = pop3_strerror(error_rows[i].code);

        assert_non_null(s);
        assert_true(s[0] != '\0');
        assert_string_equal(s, error_rows[i].text);
        assert_string_not_equal(s, "unknown error");
    }
}

static void test_error_codes_and_names_are_distinct(void **state)
{
    size_t i, j;
    (void)state;

    for (i = 0; i < N_ERROR_ROWS; i++) {
        for (j = i + 1; j < N_ERROR_ROWS; j++) {
            assert_int_not_equal(error_rows[i].code, error_rows[j].code);
            assert_string_not_equal(pop3_error_name(error_rows[i].code),
                                    pop3_error_name(error_rows[j].code));
        }
    }
}

static void test_error_names_are_not_the_unknown_name(void **state)
{
    size_t i;
    (void)state;

    for (i = 0; i < N_ERROR_ROWS; i++)
        assert_string_not_equal(pop3_error_name(error_rows[i].code),
                                "POP3_E_?");
}

static int is_table_code(int code)
{
    size_t i;

    for (i = 0; i < N_ERROR_ROWS; i++)
        if (error_rows[i].code == code)
            return 1;
    return 0;
}

static void test_unknown_codes_give_unknown_text_and_name(void **state)
{
    static const int probes[] = {
        1, 2, 100, -7, -8, -99, -105, -106, -1000,
        POP3_ERROR_LAST_, INT32_MAX, INT32_MIN
    };
    size_t i;
    int code;
    (void)state;

    for (i = 0; i < sizeof probes / sizeof probes[0]; i++) {
        if (is_table_code(probes[i]))
            continue;
        assert_string_equal(pop3_strerror(probes[i]), "unknown error");
        assert_string_equal(pop3_error_name(probes[i]), "POP3_E_?");
    }

    /* Every gap in the range the table spans, and a margin around it. */
    for (code = -120; code <= 10; code++) {
        if (is_table_code(code))
            continue;
        assert_string_equal(pop3_strerror(code), "unknown error");
        assert_string_equal(pop3_error_name(code), "POP3_E_?");
    }
}

static void test_fatal_is_exactly_at_or_below_threshold(void **state)
{
    size_t i;
    int code;
    (void)state;

    for (i = 0; i < N_ERROR_ROWS; i++)
        assert_int_equal(pop3_error_is_fatal(error_rows[i].code),
                         error_rows[i].code <= POP3_E_FATAL ? 1 : 0);

    assert_int_equal(pop3_error_is_fatal(POP3_E_FATAL), 1);
    assert_int_equal(pop3_error_is_fatal(POP3_E_FATAL + 1), 0);
    assert_int_equal(pop3_error_is_fatal(POP3_E_FATAL - 1), 1);
    assert_int_equal(pop3_error_is_fatal(POP3_OK), 0);
    assert_int_equal(pop3_error_is_fatal(POP3_E_INVALID), 0);
    assert_int_equal(pop3_error_is_fatal(POP3_E_TOO_SMALL), 0);
    assert_int_equal(pop3_error_is_fatal(POP3_E_NOMEM), 1);
    assert_int_equal(pop3_error_is_fatal(POP3_E_INTERNAL), 1);
    assert_int_equal(pop3_error_is_fatal(INT32_MIN), 1);
    assert_int_equal(pop3_error_is_fatal(INT32_MAX), 0);

    for (code = -200; code <= 10; code++)
        assert_int_equal(pop3_error_is_fatal(code),
                         code <= POP3_E_FATAL ? 1 : 0);
}

static void test_version_number_matches_header(void **state)
{
    (void)state;

    assert_int_equal(pop3_version(), (unsigned)POP3_VERSION_NUMBER);
    assert_int_equal(pop3_version() >> 16, POP3_VERSION_MAJOR);
    assert_int_equal((pop3_version() >> 8) & 0xffu, POP3_VERSION_MINOR);
    assert_int_equal(pop3_version() & 0xffu, POP3_VERSION_PATCH);
}

static void test_version_string_matches_header(void **state)
{
    (void)state;

    assert_non_null(pop3_version_string());
    assert_string_equal(pop3_version_string(), POP3_VERSION_STRING);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_name_matches_table_for_every_code),
        cmocka_unit_test(test_strerror_matches_table_and_is_nonempty),
        cmocka_unit_test(test_error_codes_and_names_are_distinct),
        cmocka_unit_test(test_error_names_are_not_the_unknown_name),
        cmocka_unit_test(test_unknown_codes_give_unknown_text_and_name),
        cmocka_unit_test(test_fatal_is_exactly_at_or_below_threshold),
        cmocka_unit_test(test_version_number_matches_header),
        cmocka_unit_test(test_version_string_matches_header),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
