/*
 * async.c - answers that come later: POP3_PENDING and the completion calls.
 *
 * The password check here stands for anything slow - a directory server,
 * a database, a bcrypt hash on a worker thread.  authenticate() does not
 * answer; it records the question and returns POP3_PENDING.  The event
 * loop answers it 500 ms later (a timer) with pop3_session_auth_done().
 * Meanwhile the session keeps its place: commands the client pipelined
 * after PASS wait, in order, and the idle timer is suspended (the backend,
 * not the client, is slow).
 *
 * One session on standard input/output, an in-memory maildrop:
 *
 *   printf 'USER demo\r\nPASS demo\r\nSTAT\r\nRETR 1\r\nQUIT\r\n' | ./async
 *
 * stderr shows when the question was asked and answered.  Public API only.
 */
#define _POSIX_C_SOURCE 200809L
#include <pop3.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define AUTH_DELAY_MS 500

static const char *const messages[] = {
    "From: ops@example.org\nSubject: answered later\n\n"
    "The password check behind this message took half a second.\n",
};
#define COUNT (sizeof messages / sizeof messages[0])

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* The outstanding question, as the backend would keep it. */
struct backend {
    int pending;            /* an authenticate awaits its answer */
    uint64_t due_ms;        /* when the "directory server" replies */
    int accept;             /* what it will say */
    uint64_t asked_ms;
};

static int authenticate(void *ud, pop3_session *s, const pop3_auth_request *rq,
                        pop3_auth_answer *ans)
{
    struct backend *b = ud;
    (void)s; (void)ans;
    /* Decide now what the slow check will say - the request's pointers
     * (rq->password) stay valid until the answer is delivered, but there
     * is no need to keep them. */
    b->accept = rq->kind == POP3_AUTH_PASS && strcmp(rq->user, "demo") == 0 &&
                strcmp(rq->password, "demo") == 0;
    b->pending = 1;
    b->asked_ms = now_ms();
    b->due_ms = b->asked_ms + AUTH_DELAY_MS;
    fprintf(stderr, "async: authenticate(%s): POP3_PENDING, answer in %d ms\n",
            rq->user, AUTH_DELAY_MS);
    return POP3_PENDING;
}

static int open_maildrop(void *ud, pop3_session *s, pop3_maildrop *ans)
{
    (void)ud; (void)s;
    ans->result = POP3_R_OK;
    ans->count = COUNT;
    for (size_t i = 0; i < COUNT; i++)
        ans->octets += pop3_wire_size(messages[i], strlen(messages[i]));
    return POP3_ANSWERED;
}

static int msg_info(void *ud, pop3_session *s, uint32_t n, unsigned want,
                    pop3_msg_info *ans)
{
    static char uid[16];
    (void)ud; (void)s; (void)want;
    ans->result = POP3_R_OK;
    ans->size = pop3_wire_size(messages[n - 1], strlen(messages[n - 1]));
    snprintf(uid, sizeof uid, "async-%u", (unsigned)n);
    ans->uid = uid;
    ans->uid_len = strlen(uid);
    return POP3_ANSWERED;
}

static int msg_read(void *ud, pop3_session *s, const pop3_read_request *rq,
                    pop3_chunk *ans)
{
    const char *m = messages[rq->msgno - 1];
    (void)ud; (void)s;
    ans->result = POP3_R_OK;
    ans->data = m + rq->offset;
    ans->len = strlen(m) - (size_t)rq->offset;
    return POP3_ANSWERED;
}

static int commit(void *ud, pop3_session *s, const pop3_commit_request *rq,
                  int *result)
{
    (void)ud; (void)s; (void)rq;
    *result = POP3_R_OK;                /* nothing on disk to delete */
    return POP3_ANSWERED;
}

int main(void)
{
    struct backend b = {0, 0, 0, 0};
    pop3_config cfg;
    pop3_callbacks cb;
    pop3_session *s;
    pop3_connection conn;
    int err, in_eof = 0;

    pop3_config_init(&cfg);
    cfg.auth_fail_delay_ms = 0;         /* the backend was slow enough */
    pop3_callbacks_init(&cb);
    cb.authenticate = authenticate;
    cb.open_maildrop = open_maildrop;
    cb.msg_info = msg_info;
    cb.msg_read = msg_read;
    cb.commit = commit;

    s = pop3_session_new(&cfg, &cb, &b, NULL, &err);
    if (!s) {
        fprintf(stderr, "async: %s\n", pop3_strerror(err));
        return 1;
    }
    memset(&conn, 0, sizeof conn);
    conn.now_ms = now_ms();
    conn.flags = POP3_CONN_PROTECTED;   /* a pipe, not a network */
    pop3_session_start(s, &conn);

    for (;;) {
        struct pollfd pfd[2];
        nfds_t nfd = 0;
        int timeout = -1, r;
        uint64_t now = now_ms(), at;
        unsigned st;

        pop3_session_tick(s, now);

        /* The backend's answer is due: deliver it, outside any callback. */
        if (b.pending && now >= b.due_ms) {
            pop3_auth_answer ans;
            memset(&ans, 0, sizeof ans);
            ans.result = b.accept ? POP3_R_OK : POP3_R_DENIED;
            b.pending = 0;
            fprintf(stderr, "async: pop3_session_auth_done(%s) after %llu ms\n",
                    b.accept ? "POP3_R_OK" : "POP3_R_DENIED",
                    (unsigned long long)(now - b.asked_ms));
            r = pop3_session_auth_done(s, &ans);
            if (r != POP3_OK)
                fprintf(stderr, "async: auth_done: %s\n", pop3_strerror(r));
        }

        st = pop3_session_status(s);
        if (st & POP3_STATUS_CLOSED)
            break;
        if (st & POP3_STATUS_WRITE) {
            pfd[nfd].fd = STDOUT_FILENO;
            pfd[nfd++].events = POLLOUT;
        }
        if ((st & POP3_STATUS_READ) && !in_eof) {
            pfd[nfd].fd = STDIN_FILENO;
            pfd[nfd++].events = POLLIN;
        }
        /* Wake up for the session's timers and for our pending answer.
         * (PENDING itself needs no descriptor: we answer it ourselves.) */
        if ((st & POP3_STATUS_DEADLINE) && pop3_session_deadline(s, &at))
            timeout = at <= now ? 0 : (int)(at - now);
        if (b.pending) {
            int t = b.due_ms <= now ? 0 : (int)(b.due_ms - now);
            if (timeout < 0 || t < timeout)
                timeout = t;
        }
        if (nfd == 0 && timeout < 0)
            break;                      /* nothing can happen any more */

        r = poll(pfd, nfd, timeout);
        if (r < 0 && errno != EINTR)
            break;
        for (nfds_t i = 0; r > 0 && i < nfd; i++) {
            if (pfd[i].fd == STDOUT_FILENO && (pfd[i].revents & (POLLOUT | POLLERR | POLLHUP))) {
                size_t len;
                const unsigned char *p = pop3_session_out_buf(s, &len);
                ssize_t n = p ? write(STDOUT_FILENO, p, len) : 0;
                if (n > 0)
                    pop3_session_out_ack(s, (size_t)n);
                else if (n < 0)
                    pop3_session_abort(s);      /* the reader went away */
            }
            if (pfd[i].fd == STDIN_FILENO && (pfd[i].revents & (POLLIN | POLLHUP | POLLERR))) {
                size_t cap;
                unsigned char *p = pop3_session_in_buf(s, &cap);
                ssize_t n = p ? read(STDIN_FILENO, p, cap) : 0;
                if (n > 0) {
                    pop3_session_in_ack(s, (size_t)n);
                } else if (p) {
                    in_eof = 1;
                    pop3_session_in_eof(s);     /* no UPDATE: nothing deleted */
                }
            }
        }
    }
    pop3_session_free(s);
    return 0;
}
