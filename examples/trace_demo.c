/*
 * trace_demo.c - play a scripted client conversation against a libpop3
 * session and print the engine's trace, one event per line.  The output is
 * what examples/trace2svg.c draws; docs/diagrams/ holds two such traces.
 *
 *   ./trace_demo classic            USER/PASS, STAT, LIST, RETR, DELE, QUIT
 *   ./trace_demo stls-sasl          CAPA, STLS, handshake, CAPA, AUTH PLAIN
 *   ./trace_demo script FILE [stls] one client line per line of FILE
 *                                   ("-" is standard input)
 *
 * The client is well behaved: it sends one line, then waits for the whole
 * answer.  There is no network and no real TLS: when the session asks for
 * the handshake (POP3_STATUS_START_TLS) the driver reports success at once
 * and writes "tls ok" to the trace.  The clock is simulated too, so the
 * output is the same on every run.  The maildrop is two messages held in
 * memory; the only account is "demo" with the password "demo-secret".
 *
 * Trace lines (the format of pop3d --trace without its timestamp and
 * session-id prefix; docs/diagrams/README.md describes it):
 *
 *   connect TEXT                       the connection, as the host sees it
 *   C: VERB [ARGS]                     POP3_EV_COMMAND (secrets are "***")
 *   S: LINE                            POP3_EV_REPLY: a status line or "+ "
 *   S: (body of N octets[, message M], L lines)    POP3_EV_BODY
 *   state FROM -> TO                   POP3_EV_STATE
 *   limit NAME                         POP3_EV_LIMIT
 *   discarded N octets                 POP3_EV_DISCARD
 *   tls ok | tls failed                the host's handshake (this driver)
 *   close REASON                       POP3_EV_CLOSE
 *
 * Only the ", L lines" part of a body line is new: the driver counts the
 * lines it received, which the engine's event does not carry.
 */
#define _POSIX_C_SOURCE 200809L
#include <pop3.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the maildrop -------------------------------------------------------- */

static const char *const messages[] = {
    "From: alice@example.org\nTo: demo@example.org\nSubject: hello\n\n"
    "Hi there.\nSee you at noon.\n",
    "From: bob@example.org\nTo: demo@example.org\nSubject: dots\n\n"
    ".a line that starts with a dot\n",
};
#define COUNT ((uint32_t)(sizeof messages / sizeof messages[0]))
#define USER_NAME "demo"
#define PASSWORD "demo-secret"

static int cb_authenticate(void *ud, pop3_session *s,
                           const pop3_auth_request *rq, pop3_auth_answer *ans)
{
    (void)ud; (void)s;
    if (strcmp(rq->user, USER_NAME) == 0) {
        ans->result = POP3_R_SECRET;
        ans->secret = PASSWORD;
        ans->secret_len = strlen(PASSWORD);
    } else {
        ans->result = POP3_R_DENIED;
    }
    return POP3_ANSWERED;
}

static int cb_open(void *ud, pop3_session *s, pop3_maildrop *ans)
{
    (void)ud; (void)s;
    ans->result = POP3_R_OK;
    ans->count = COUNT;
    for (uint32_t i = 0; i < COUNT; i++)
        ans->octets += pop3_wire_size(messages[i], strlen(messages[i]));
    return POP3_ANSWERED;
}

static int cb_info(void *ud, pop3_session *s, uint32_t n, unsigned want,
                   pop3_msg_info *ans)
{
    static char uid[32];
    (void)ud; (void)s; (void)want;
    ans->result = POP3_R_OK;
    ans->size = pop3_wire_size(messages[n - 1], strlen(messages[n - 1]));
    snprintf(uid, sizeof uid, "demo-%08u", (unsigned)n);
    ans->uid = uid;
    ans->uid_len = strlen(uid);
    return POP3_ANSWERED;
}

static int cb_read(void *ud, pop3_session *s, const pop3_read_request *rq,
                   pop3_chunk *ans)
{
    const char *m = messages[rq->msgno - 1];
    (void)ud; (void)s;
    ans->result = POP3_R_OK;
    ans->data = m + rq->offset;
    ans->len = strlen(m) - (size_t)rq->offset;
    return POP3_ANSWERED;
}

static int cb_commit(void *ud, pop3_session *s, const pop3_commit_request *rq,
                     int *result)
{
    (void)ud; (void)s; (void)rq;
    *result = POP3_R_OK;            /* nothing on disk to delete */
    return POP3_ANSWERED;
}

/* ---- the trace ----------------------------------------------------------- */

/* Events are kept until the answer they belong to has been received, so
 * that a body line can say how many lines the client got. */
#define MAX_EVENTS 64
static struct {
    char text[600];
    int kind;                   /* 0 plain, 1 status line, 2 body */
} events[MAX_EVENTS];
static int nevents;

static unsigned char received[1 << 16];   /* output not yet matched */
static size_t nreceived;

static void event(int kind, const char *fmt, ...)
{
    va_list ap;
    if (nevents == MAX_EVENTS) {
        fprintf(stderr, "trace_demo: too many events in one step\n");
        exit(1);
    }
    va_start(ap, fmt);
    vsnprintf(events[nevents].text, sizeof events[nevents].text, fmt, ap);
    va_end(ap);
    events[nevents++].kind = kind;
}

static const char *limit_name(int code)
{
    switch (code) {
    case POP3_LIMIT_LINE_LENGTH: return "line-length";
    case POP3_LIMIT_BAD_COMMANDS: return "bad-commands";
    case POP3_LIMIT_AUTH_FAILURES: return "auth-failures";
    case POP3_LIMIT_IDLE_TIMEOUT: return "idle-timeout";
    default: return "?";
    }
}

static const char *close_name(int code)
{
    switch (code) {
    case POP3_CLOSE_QUIT: return "quit";
    case POP3_CLOSE_EOF: return "eof";
    case POP3_CLOSE_TIMEOUT: return "timeout";
    case POP3_CLOSE_LIMIT: return "limit";
    case POP3_CLOSE_ABORT: return "abort";
    case POP3_CLOSE_ERROR: return "error";
    case POP3_CLOSE_TLS_FAILED: return "tls-failed";
    default: return "?";
    }
}

static void cb_trace(void *ud, pop3_session *s, const pop3_event *ev)
{
    (void)ud; (void)s;
    switch (ev->type) {
    case POP3_EV_COMMAND:
        event(0, "C: %s%s%.*s", ev->verb, ev->args ? " " : "",
              ev->args ? (int)ev->args_len : 0, ev->args ? ev->args : "");
        break;
    case POP3_EV_REPLY:
        event(1, "S: %.*s", (int)ev->line_len, ev->line);
        break;
    case POP3_EV_BODY:
        if (ev->msgno)
            event(2, "S: (body of %llu octets, message %u",
                  (unsigned long long)ev->octets, (unsigned)ev->msgno);
        else
            event(2, "S: (body of %llu octets", (unsigned long long)ev->octets);
        break;
    case POP3_EV_STATE:
        event(0, "state %s -> %s", pop3_state_name(ev->old_state),
              pop3_state_name(ev->state));
        break;
    case POP3_EV_LIMIT:
        event(0, "limit %s", limit_name(ev->code));
        break;
    case POP3_EV_DISCARD:
        event(0, "discarded %llu octets", (unsigned long long)ev->octets);
        break;
    case POP3_EV_CLOSE:
        event(0, "close %s", close_name(ev->code));
        break;
    default:
        break;
    }
}

/* Take one line (through LF) off the received bytes; 0 if there is none. */
static int take_line(const unsigned char **line, size_t *len, size_t *pos)
{
    const unsigned char *p = received + *pos;
    const unsigned char *lf = memchr(p, '\n', nreceived - *pos);
    if (!lf)
        return 0;
    *line = p;
    *len = (size_t)(lf - p) + 1;
    *pos += *len;
    return 1;
}

/* Print the events of one step, matching status lines and bodies against
 * what the client received to count the lines of each body. */
static void flush_events(FILE *out)
{
    size_t pos = 0;
    for (int i = 0; i < nevents; i++) {
        const unsigned char *line;
        size_t len;
        if (events[i].kind == 1) {
            take_line(&line, &len, &pos);
        } else if (events[i].kind == 2) {
            unsigned long lines = 0;
            while (take_line(&line, &len, &pos) &&
                   !(len == 3 && memcmp(line, ".\r\n", 3) == 0))
                lines++;
            fprintf(out, "%s, %lu line%s)\n", events[i].text, lines,
                    lines == 1 ? "" : "s");
            continue;
        }
        fprintf(out, "%s\n", events[i].text);
    }
    memmove(received, received + pos, nreceived - pos);
    nreceived -= pos;
    nevents = 0;
}

/* ---- the client ---------------------------------------------------------- */

static uint64_t now_ms = 1000;

static void check(int r, const char *what)
{
    if (r < 0) {
        fprintf(stderr, "trace_demo: %s: %s\n", what, pop3_strerror(r));
        exit(1);
    }
}

/* Receive everything the session has to say, running short timers (the
 * delayed answer to a failed login) on the simulated clock. */
static void drain(pop3_session *s, FILE *out)
{
    for (;;) {
        unsigned st = pop3_session_status(s);
        uint64_t at;
        if (st & POP3_STATUS_WRITE) {
            size_t len;
            const unsigned char *p = pop3_session_out_buf(s, &len);
            if (len > sizeof received - nreceived) {
                fprintf(stderr, "trace_demo: answer too long\n");
                exit(1);
            }
            memcpy(received + nreceived, p, len);
            nreceived += len;
            check(pop3_session_out_ack(s, len), "out_ack");
        } else if (st & POP3_STATUS_START_TLS) {
            flush_events(out);
            fprintf(out, "tls ok\n");       /* a real host handshakes here */
            check(pop3_session_tls_done(s, 1), "tls_done");
        } else if ((st & POP3_STATUS_DEADLINE) && pop3_session_deadline(s, &at) &&
                   at - now_ms <= 10000 && !(st & POP3_STATUS_CLOSED)) {
            now_ms = at;
            check(pop3_session_tick(s, now_ms), "tick");
        } else {
            break;
        }
    }
    flush_events(out);
}

static void send_line(pop3_session *s, const char *line, FILE *out)
{
    size_t len = strlen(line), done = 0;
    now_ms += 250;                          /* the client takes its time */
    check(pop3_session_tick(s, now_ms), "tick");
    while (done < len + 2) {
        char crlf[2] = {'\r', '\n'};
        const char *src = done < len ? line + done : crlf + (done - len);
        size_t left = done < len ? len - done : len + 2 - done, cap;
        unsigned char *p = pop3_session_in_buf(s, &cap);
        if (!p || cap == 0)
            break;                          /* closed, or not reading */
        if (left > cap)
            left = cap;
        memcpy(p, src, left);
        check(pop3_session_in_ack(s, left), "in_ack");
        done += left;
    }
    drain(s, out);
}

static pop3_session *open_session(int offer_stls, FILE *out)
{
    pop3_config cfg;
    pop3_callbacks cb;
    int err;

    pop3_config_init(&cfg);
    cfg.implementation = "libpop3 trace_demo";
    pop3_callbacks_init(&cb);
    cb.authenticate = cb_authenticate;
    cb.open_maildrop = cb_open;
    cb.msg_info = cb_info;
    cb.msg_read = cb_read;
    cb.commit = cb_commit;
    cb.trace = cb_trace;

    pop3_session *s = pop3_session_new(&cfg, &cb, NULL, NULL, &err);
    if (!s) {
        fprintf(stderr, "trace_demo: %s\n", pop3_strerror(err));
        exit(1);
    }
    /* Without STLS the channel stands for loopback, which the host may
     * declare protected; with STLS it is an ordinary plaintext channel. */
    pop3_connection conn = {now_ms, offer_stls ? POP3_CONN_TLS_AVAILABLE
                                               : POP3_CONN_PROTECTED, NULL};
    fprintf(out, "connect %s\n", offer_stls ? "plaintext channel, STLS offered"
                                            : "loopback (declared protected)");
    check(pop3_session_start(s, &conn), "start");
    drain(s, out);
    return s;
}

static void finish(pop3_session *s, FILE *out)
{
    if (!(pop3_session_status(s) & POP3_STATUS_CLOSED)) {
        check(pop3_session_in_eof(s), "in_eof");
        drain(s, out);
    }
    pop3_session_free(s);
}

static const char *const classic[] = {
    "USER " USER_NAME, "PASS " PASSWORD, "STAT", "LIST", "RETR 1", "DELE 1",
    "QUIT", NULL,
};

/* AUTH PLAIN with the credentials in a continuation line: the base64 of
 * "\0demo\0demo-secret". */
static const char *const stls_sasl[] = {
    "CAPA", "STLS", "CAPA", "AUTH PLAIN", "AGRlbW8AZGVtby1zZWNyZXQ=", "STAT",
    "QUIT", NULL,
};

static void play(const char *const *lines, int offer_stls, FILE *out)
{
    pop3_session *s = open_session(offer_stls, out);
    for (; *lines && !(pop3_session_status(s) & POP3_STATUS_CLOSED); lines++)
        send_line(s, *lines, out);
    finish(s, out);
}

static void play_file(FILE *in, int offer_stls, FILE *out)
{
    char line[4200];
    pop3_session *s = open_session(offer_stls, out);
    while (!(pop3_session_status(s) & POP3_STATUS_CLOSED) &&
           fgets(line, sizeof line, in)) {
        line[strcspn(line, "\r\n")] = '\0';
        send_line(s, line, out);
    }
    finish(s, out);
}

static int usage(void)
{
    fprintf(stderr, "usage: trace_demo classic | stls-sasl | script FILE [stls]\n");
    return 2;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "classic") == 0) {
        play(classic, 0, stdout);
    } else if (argc == 2 && strcmp(argv[1], "stls-sasl") == 0) {
        play(stls_sasl, 1, stdout);
    } else if ((argc == 3 || argc == 4) && strcmp(argv[1], "script") == 0) {
        int stls = argc == 4 && strcmp(argv[3], "stls") == 0;
        FILE *in = strcmp(argv[2], "-") == 0 ? stdin : fopen(argv[2], "r");
        if (argc == 4 && !stls)
            return usage();
        if (!in) {
            perror(argv[2]);
            return 1;
        }
        play_file(in, stls, stdout);
        if (in != stdin)
            fclose(in);
    } else {
        return usage();
    }
    return fflush(stdout) == 0 ? 0 : 1;
}
