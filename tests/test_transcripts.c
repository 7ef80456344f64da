/*
 * test_transcripts.c - replay every .t fixture in tests/transcripts under
 * every I/O variant; one cmocka test per fixture, named after its file.
 *
 * Environment:
 *   POP3_TRANSCRIPTS   fixture directory (default "tests/transcripts")
 *   POP3_TEST_QUICK    set: run only the whole / out-byte / pending
 *                      variants (for valgrind)
 * Arguments: substrings; only fixtures whose name contains one are run.
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mock_backend.h"
#include "pop3.h"
#include "transcript.h"

static int quick_mode(void)
{
    const char *q = getenv("POP3_TEST_QUICK");
    return q != NULL && q[0] != '\0' && strcmp(q, "0") != 0;
}

static void run_fixture(void **state)
{
    const char *path = *state;
    char err[600];
    transcript *t = transcript_load(path, err, sizeof err);
    if (t == NULL) {
        print_error("%s\n", err);
        fail_msg("fixture does not parse");
    }
    size_t cap = 16384;
    char *report = malloc(cap);
    assert_non_null(report);
    long runs = transcript_run_all(t, quick_mode(), report, cap);
    transcript_free(t);
    if (runs < 0) {
        print_error("%s\n", report);
        free(report);
        fail_msg("transcript mismatch");
    }
    free(report);
}

/* ---- self-tests of the harness ---------------------------------------- */

static void self_unescape(void **state)
{
    (void)state;
    const char in[] = "a\\r\\n\\t\\\\\\\"\\x41\\xfF\\0z";
    unsigned char out[sizeof in];
    long n = transcript_unescape(in, strlen(in), out);
    const unsigned char want[] = {'a', '\r', '\n', '\t', '\\', '"', 'A',
                                  0xff, 0, 'z'};
    assert_int_equal(n, (long)sizeof want);
    assert_memory_equal(out, want, sizeof want);
    assert_int_equal(transcript_unescape("\\q", 2, out), -1);
    assert_int_equal(transcript_unescape("\\x4", 3, out), -1);
    assert_int_equal(transcript_unescape("\\", 1, out), -1);

    char esc[64];
    transcript_escape("+OK\r\n\x01", 6, esc, sizeof esc);
    assert_string_equal(esc, "+OK\\r\\n\\x01");
}

static void self_parse_errors(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "frobnicate\n",                         /* unknown directive */
        "S: +OK x\nuser a secret=b\n",          /* setup after conversation */
        "msg nobody \"x\"\n",                   /* unknown user */
        "S= \"unterminated\n",
        "S= \"bad \\q escape\"\n",
        "T: 10\nT: 5\n",                        /* time goes backwards */
        "EOF\nC: NOOP\n",                       /* client after EOF */
        "S~: +OK a\nS: +OK b\n",                /* firm after optional */
        "expect state NOWHERE\n",
        "config flags=NO_SUCH_FLAG\n",
        "fail open\n",                          /* no result */
        "TLS: maybe\n",
        "config sasl_mechs=PLAIN,NO-SUCH\n",
        "random start=256\n",
        "token abc user=a\n",                   /* shorter than 4 */
        "token abcdef\n",                       /* no user */
        "user a stored_key=AAAA server_key=AAAA salt=AAAA\n",
        "user a salt=not-base64\n",
        "expect utf8 maybe\n",
        "expect auth-calls x\n",
        "EOF\nTLS: ok\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char err[400] = "";
        transcript *t = transcript_parse(bad[i], strlen(bad[i]), "bad.t", err,
                                         sizeof err);
        if (t != NULL) {
            transcript_free(t);
            fail_msg("fixture %zu parsed but should not: %s", i, bad[i]);
        }
        assert_non_null(strstr(err, "bad.t: line "));
    }
}

static int run_text(const char *text, char *report, size_t cap)
{
    char err[400];
    transcript *t = transcript_parse(text, strlen(text), "self.t", err,
                                     sizeof err);
    if (t == NULL)
        fail_msg("self-test fixture does not parse: %s", err);
    long runs = transcript_run_all(t, 1, report, cap);
    transcript_free(t);
    return runs < 0 ? -1 : 0;
}

/* The harness must be able to fail: wrong bytes, wrong end state. */
static void self_wrong_expectations_fail(void **state)
{
    (void)state;
    char report[4096];
    const char *good = "S: +OK POP3 server ready\n"
                       "C: QUIT\n"
                       "S: +OK bye\n"
                       "expect closed\n";
    if (run_text(good, report, sizeof report) != 0)
        fail_msg("baseline self-test failed: %s", report);

    const char *wrong_bytes = "S: +OK POP3 server ready\n"
                              "C: QUIT\n"
                              "S: +OK byebye\n";
    assert_int_equal(run_text(wrong_bytes, report, sizeof report), -1);
    assert_non_null(strstr(report, "expected: \"+OK byebye\\r\\n\""));
    assert_non_null(strstr(report, "actual:   \"+OK bye\\r\\n\""));
    assert_non_null(strstr(report, "self.t"));

    const char *missing = "S: +OK POP3 server ready\n"
                          "C: QUIT\n";
    assert_int_equal(run_text(missing, report, sizeof report), -1);

    const char *wrong_state = "S: +OK POP3 server ready\n"
                              "expect state TRANSACTION\n";
    assert_int_equal(run_text(wrong_state, report, sizeof report), -1);
    assert_non_null(strstr(report, "state is AUTHORIZATION"));

    const char *not_closed = "S: +OK POP3 server ready\n"
                             "expect closed\n";
    assert_int_equal(run_text(not_closed, report, sizeof report), -1);
}

/* TLS: must meet POP3_STATUS_START_TLS, and START_TLS must not appear
 * without a TLS: line. */
static void self_tls_action(void **state)
{
    (void)state;
    char report[4096];
    const char *good = "conn tls-available\n"
                       "S: +OK POP3 server ready\n"
                       "C= \"STLS\\r\\nUSER x\\r\\n\"\n"
                       "S: +OK begin TLS negotiation\n"
                       "TLS: ok\n"
                       "C: STLS\n"
                       "S: -ERR TLS already active\n";
    if (run_text(good, report, sizeof report) != 0)
        fail_msg("baseline TLS self-test failed: %s", report);

    const char *no_tls_line = "conn tls-available\n"
                              "S: +OK POP3 server ready\n"
                              "C: STLS\n"
                              "S: +OK begin TLS negotiation\n";
    assert_int_equal(run_text(no_tls_line, report, sizeof report), -1);
    assert_non_null(strstr(report, "START_TLS"));

    const char *no_stls = "conn tls-available\n"
                          "S: +OK POP3 server ready\n"
                          "TLS: ok\n";
    assert_int_equal(run_text(no_stls, report, sizeof report), -1);
    assert_non_null(strstr(report, "not START_TLS"));
}

/* The mock host flags secrets in any trace event: an AUTH initial
 * response not marked redacted, a bearer token, a password. */
static void self_trace_redaction(void **state)
{
    (void)state;
    static const char ir[] = "AHRpbQB0YW5zdGFhZnRhbnN0YWFm";
    static const char token[] = "vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==";
    mock_backend mb;
    pop3_callbacks cb;
    mock_init(&mb);
    assert_non_null(mock_add_user(&mb, "tim", "tanstaaftanstaaf", 16, 0));
    assert_int_equal(mock_add_secret(&mb, ir, strlen(ir), 1), 0);
    assert_int_equal(mock_add_token(&mb, token, strlen(token), "tim"), 0);
    mock_callbacks(&cb);
    pop3_session *s = pop3_session_new(NULL, &cb, &mb, NULL, NULL);
    assert_non_null(s);

    pop3_event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = POP3_EV_COMMAND;
    ev.state = pop3_session_state(s);
    ev.verb = "AUTH";
    ev.args = "PLAIN ***";
    ev.args_len = 9;
    ev.redacted = 1;
    cb.trace(&mb, s, &ev);
    assert_int_equal(mb.nviolations, 0);

    ev.redacted = 0;                    /* an initial response, unmarked */
    cb.trace(&mb, s, &ev);
    assert_int_equal(mb.nviolations, 1);

    char line[128];
    snprintf(line, sizeof line, "PLAIN %s", ir);
    ev.args = line;
    ev.args_len = strlen(line);
    ev.redacted = 1;
    cb.trace(&mb, s, &ev);
    assert_int_equal(mb.nviolations, 2);

    memset(&ev, 0, sizeof ev);
    ev.type = POP3_EV_LIMIT;            /* strings in any event */
    ev.state = pop3_session_state(s);
    ev.line = token;
    ev.line_len = strlen(token);
    cb.trace(&mb, s, &ev);
    assert_int_equal(mb.nviolations, 3);

    ev.line = "x tanstaaftanstaaf";
    ev.line_len = strlen(ev.line);
    cb.trace(&mb, s, &ev);
    assert_int_equal(mb.nviolations, 4);

    pop3_session_free(s);
}

static int by_name(const void *a, const void *b)
{
    const struct CMUnitTest *x = a, *y = b;
    return strcmp(x->name, y->name);
}

static int wanted(const char *name, int argc, char **argv)
{
    if (argc < 2)
        return 1;
    for (int i = 1; i < argc; i++)
        if (strstr(name, argv[i]))
            return 1;
    return 0;
}

int main(int argc, char **argv)
{
    const char *dir = getenv("POP3_TRANSCRIPTS");
    if (dir == NULL || dir[0] == '\0')
        dir = "tests/transcripts";
    DIR *d = opendir(dir);
    if (d == NULL) {
        fprintf(stderr, "test_transcripts: cannot open %s (set "
                "POP3_TRANSCRIPTS)\n", dir);
        return 1;
    }
    size_t cap = 128, n = 0;
    struct CMUnitTest *tests = calloc(cap, sizeof *tests);
    if (tests == NULL)
        return 1;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l < 3 || strcmp(e->d_name + l - 2, ".t") != 0 ||
            !wanted(e->d_name, argc, argv))
            continue;
        if (n == cap) {
            struct CMUnitTest *t = realloc(tests, 2 * cap * sizeof *tests);
            if (t == NULL)
                return 1;
            tests = t;
            cap *= 2;
        }
        size_t pl = strlen(dir) + 1 + l + 1;
        char *path = malloc(pl);
        char *name = malloc(l + 1);
        if (path == NULL || name == NULL)
            return 1;
        snprintf(path, pl, "%s/%s", dir, e->d_name);
        memcpy(name, e->d_name, l + 1);
        memset(&tests[n], 0, sizeof tests[n]);
        tests[n].name = name;
        tests[n].test_func = run_fixture;
        tests[n].initial_state = path;
        n++;
    }
    closedir(d);
    if (n == 0 && argc < 2) {
        fprintf(stderr, "test_transcripts: no *.t fixtures in %s\n", dir);
        return 1;
    }
    qsort(tests, n, sizeof *tests, by_name);

    static const struct CMUnitTest self[] = {
        cmocka_unit_test(self_unescape),
        cmocka_unit_test(self_parse_errors),
        cmocka_unit_test(self_wrong_expectations_fail),
        cmocka_unit_test(self_tls_action),
        cmocka_unit_test(self_trace_redaction),
    };
    int failed = 0;
    if (argc < 2)
        failed += cmocka_run_group_tests_name("transcript harness", self,
                                              NULL, NULL);
    failed += _cmocka_run_group_tests("transcripts", tests, n, NULL, NULL);

    for (size_t i = 0; i < n; i++) {
        free((void *)tests[i].name);
        free(tests[i].initial_state);
    }
    free(tests);
    return failed ? 1 : 0;
}
