/*
 * minimal.c - the whole libpop3 API at a glance: an in-memory maildrop
 * served on standard input/output.
 *
 *   ./minimal            then type:  USER demo / PASS demo / LIST / RETR 1 / QUIT
 *   printf 'USER demo\r\nPASS demo\r\nSTAT\r\nQUIT\r\n' | ./minimal
 *
 * Every callback answers at once; see async.c for answers that come later.
 */
#define _POSIX_C_SOURCE 200809L
#include <pop3.h>

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The maildrop: raw messages as they would sit on disk (LF line ends). */
static const char *const messages[] = {
    "From: alice@example.org\nSubject: hello\n\nHi there.\n",
    "From: bob@example.org\nSubject: dots\n\n.a line that starts with a dot\n",
};
#define COUNT (sizeof messages / sizeof messages[0])
static int deleted_on_disk[COUNT];

static int authenticate(void *ud, pop3_session *s, const pop3_auth_request *rq,
                        pop3_auth_answer *ans)
{
    (void)ud; (void)s;
    if (strcmp(rq->user, "demo") == 0) {
        ans->result = POP3_R_SECRET;    /* the library compares, in constant time */
        ans->secret = "demo";
        ans->secret_len = 4;
    } else {
        ans->result = POP3_R_DENIED;    /* same reply as a wrong password */
    }
    return POP3_ANSWERED;
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
    snprintf(uid, sizeof uid, "msg-%u", (unsigned)n);
    ans->uid = uid;                     /* copied by the library at once */
    ans->uid_len = strlen(uid);
    return POP3_ANSWERED;
}

static int msg_read(void *ud, pop3_session *s, const pop3_read_request *rq,
                    pop3_chunk *ans)
{
    const char *m = messages[rq->msgno - 1];
    (void)ud; (void)s;
    ans->result = POP3_R_OK;
    ans->data = m + rq->offset;         /* read in place: must stay valid */
    ans->len = strlen(m) - (size_t)rq->offset;   /* 0 means end of message */
    return POP3_ANSWERED;
}

static int commit(void *ud, pop3_session *s, const pop3_commit_request *rq,
                  int *result)
{
    (void)ud; (void)rq;
    for (uint32_t n = pop3_session_next_deleted(s, 0); n;
         n = pop3_session_next_deleted(s, n))
        deleted_on_disk[n - 1] = 1;     /* a real host unlinks here */
    *result = POP3_R_OK;
    return POP3_ANSWERED;
}

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

int main(void)
{
    pop3_config cfg;
    pop3_callbacks cb;
    int err;

    pop3_config_init(&cfg);
    cfg.flags |= POP3_CFG_ALLOW_PLAINTEXT;  /* a terminal is not a network */
    pop3_callbacks_init(&cb);
    cb.authenticate = authenticate;
    cb.open_maildrop = open_maildrop;
    cb.msg_info = msg_info;
    cb.msg_read = msg_read;
    cb.commit = commit;

    pop3_session *s = pop3_session_new(&cfg, &cb, NULL, NULL, &err);
    if (!s) {
        fprintf(stderr, "minimal: %s\n", pop3_strerror(err));
        return 1;
    }
    pop3_connection conn = {now_ms(), 0, NULL};
    pop3_session_start(s, &conn);

    /* A blocking loop is enough for one session: write what is queued,
     * else read.  A real server polls on the same status bits. */
    for (;;) {
        pop3_session_tick(s, now_ms());
        unsigned st = pop3_session_status(s);
        if (st & POP3_STATUS_CLOSED)
            break;
        if (st & POP3_STATUS_WRITE) {
            size_t len;
            const unsigned char *p = pop3_session_out_buf(s, &len);
            ssize_t n = write(STDOUT_FILENO, p, len);
            if (n <= 0)
                break;
            pop3_session_out_ack(s, (size_t)n);
        } else if (st & POP3_STATUS_READ) {
            size_t cap;
            unsigned char *p = pop3_session_in_buf(s, &cap);
            ssize_t n = read(STDIN_FILENO, p, cap);
            if (n > 0)
                pop3_session_in_ack(s, (size_t)n);
            else
                pop3_session_in_eof(s); /* no UPDATE: nothing is deleted */
        } else {
            break;                      /* nothing to do: cannot happen here */
        }
    }
    pop3_session_free(s);

    for (size_t i = 0; i < COUNT; i++)
        if (deleted_on_disk[i])
            fprintf(stderr, "minimal: message %zu deleted\n", i + 1);
    return 0;
}
