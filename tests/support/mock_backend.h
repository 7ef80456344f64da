/*
 * mock_backend.h - an in-memory POP3 host for tests, fuzzers and benchmarks.
 *
 * It implements every pop3_callbacks entry over users and maildrops held in
 * memory, can inject failures and answer every request later (POP3_PENDING),
 * and records what the engine asked for.  It also checks the parts of the
 * API contract a host can see (msg_close once after reads, maildrop_close
 * exactly once per successful open, one request at a time, trace events
 * never showing a secret, ...) and records every breach as a violation.
 *
 * Allocation: none for setup.  The host owns the message bytes, unique ids,
 * user names, secrets and message arrays it registers, and they must outlive
 * every session using the mock.  The only heap use is the optional chunk
 * copies (copy_chunks) and the counting allocator's blocks.
 *
 * Typical use:
 *     mock_backend mb;
 *     mock_init(&mb);
 *     mock_user *u = mock_add_user(&mb, "alice", "secret", 6, 0);
 *     u->msgs = my_msgs; u->nmsgs = 2;     (filled with mock_msg_set)
 *     pop3_callbacks cb; mock_callbacks(&cb);
 *     ... pop3_session_new(&cfg, &cb, &mb, ...) ...
 *     while (mock_has_pending(&mb)) mock_deliver(&mb, s);
 *     ... pop3_session_free(s); mock_finish(&mb);
 *     if (mb.nviolations) ... mb.violation[0] ...
 *     mock_reset(&mb);                     (before the next session)
 */
#ifndef MOCK_BACKEND_H
#define MOCK_BACKEND_H

#include "pop3.h"

#include <stddef.h>
#include <stdint.h>

enum mock_op {
    MOCK_OP_AUTH = 0,
    MOCK_OP_OPEN,
    MOCK_OP_INFO,
    MOCK_OP_READ,
    MOCK_OP_COMMIT,
    MOCK_OP_SASL,               /* sasl_step (host-driven mechanisms) */
    MOCK_OP_COUNT
};

/* A failure result meaning "the callback returns a negative value". */
#define MOCK_FATAL (-1)

#define MOCK_MAX_USERS      8
#define MOCK_MAX_FAILS      8
#define MOCK_MAX_SECRETS    48
#define MOCK_MAX_TOKENS     8
#define MOCK_SASL_NAME      64  /* longest name the toy mechanism keeps */
#define MOCK_MAX_VIOLATIONS 8
#define MOCK_VIOLATION_LEN  200
#define MOCK_MAX_LIVE       8   /* live blocks the counting allocator tracks */
#define MOCK_MAX_RECORDED   64  /* deleted message numbers kept per commit */

typedef struct mock_msg {
    const unsigned char *raw;   /* the message as stored (LF or CRLF) */
    size_t raw_len;
    const char *uid;            /* backend unique id, any bytes (may be
                                   deliberately invalid) */
    size_t uid_len;
    uint64_t size;              /* what msg_info and open report */
    /* Nonzero: the message has UTF-8 headers (RFC 6856): its first
     * msg_read answers POP3_R_NEEDS_UTF8 unless pop3_session_utf8(). */
    int needs_utf8;
} mock_msg;

typedef struct mock_user {
    const char *name;           /* NUL-terminated, compared exactly */
    const void *secret;         /* password / APOP shared secret */
    size_t secret_len;
    /* 0: answer POP3_R_SECRET and let the library verify;
     * 1: verify PASS / APOP here and answer POP3_R_OK or POP3_R_DENIED. */
    int host_verifies;
    int32_t login_delay;        /* per-user CAPA values for the open answer */
    int32_t expire;             /* (POP3_NOT_ADVERTISED by default) */
    mock_msg *msgs;             /* the maildrop: message n is msgs[n-1] */
    uint32_t nmsgs;
    /* SCRAM (RFC 5802).  With stored_key and server_key (key_len octets
     * each) the mock answers POP3_R_SCRAM; else with a secret and a salt
     * POP3_R_SECRET (the library derives the keys from the secret, used
     * as the password); else POP3_R_DENIED. */
    const unsigned char *salt;
    size_t salt_len;
    uint32_t iterations;
    const unsigned char *stored_key, *server_key;
    size_t key_len;             /* 20 (SHA-1) or 32 (SHA-256) */
    /* Comma-separated identities this user may act as (an authorization
     * identity in PLAIN, SCRAM, EXTERNAL), or NULL. */
    const char *authz;
} mock_user;

/* A valid bearer token (OAUTHBEARER, XOAUTH2) and the user it names. */
typedef struct mock_token {
    const void *token;
    size_t len;
    const char *user;
} mock_token;

/* Failure injection: the first rule that matches a request decides it. */
typedef struct mock_fail {
    int op;                     /* mock_op */
    int result;                 /* pop3_result, or MOCK_FATAL */
    uint32_t msgno;             /* INFO/READ: only this message; 0 = any */
    uint32_t at;                /* fire from the at-th matching call on
                                   (1 = the first) */
    uint32_t times;             /* fire at most this often; 0 = always */
    uint32_t calls;             /* matching calls seen (record) */
    uint32_t fired;             /* times fired (record) */
} mock_fail;

typedef struct mock_backend {
    /* ---- setup: fill before the session starts ---- */
    mock_user users[MOCK_MAX_USERS];
    unsigned nusers;
    mock_fail fails[MOCK_MAX_FAILS];
    unsigned nfails;
    /* Strings that must never appear in a trace event (users' secrets are
     * checked automatically).  Host-owned. */
    const void *secrets[MOCK_MAX_SECRETS];
    size_t secret_lens[MOCK_MAX_SECRETS];
    /* Nonzero: must also be gone from freed session memory (passwords,
     * not APOP digests). */
    unsigned char secret_wipe[MOCK_MAX_SECRETS];
    unsigned nsecrets;
    int pending_mode;           /* every request answers POP3_PENDING */
    size_t read_chunk;          /* raw octets per msg_read; 0 = all the rest */
    int copy_chunks;            /* hand out a fresh heap copy per chunk, freed
                                   at the next msg_read/msg_close: a stale
                                   read by the engine is a use after free */
    int probe_reentrancy;       /* from every callback, check that
                                   pop3_session_out_ack(s, 0) is refused */
    /* The random callback hands out the byte sequence
     *     (random_start + k) mod 256,  k = 0, 1, 2, ...
     * counted over the whole session (mock_reset restarts it), so nonces
     * and challenges are predictable. */
    uint32_t random_start;
    mock_token tokens[MOCK_MAX_TOKENS];
    unsigned ntokens;
    /* JSON for a refused bearer token (pop3_auth_answer.bearer_error);
     * NULL lets the library send its default. */
    const char *bearer_error;
    /* The identity the transport vouches for (AUTH EXTERNAL), NULL when
     * there is none (EXTERNAL is then refused). */
    const char *external;

    /* ---- state ---- */
    int pending_op;             /* mock_op + 1 of the outstanding answer,
                                   0 when none */
    pop3_auth_answer pend_auth;
    pop3_maildrop pend_open;
    pop3_msg_info pend_info;
    pop3_chunk pend_chunk;
    int pend_commit;
    pop3_sasl_answer pend_sasl;
    mock_user *pend_open_user;
    mock_user *authed;          /* user whose authentication should succeed */
    mock_user *open_user;       /* maildrop currently open */
    uint32_t reading;           /* message between its first msg_read and
                                   its msg_close; 0 when none */
    void *chunk_copy;           /* copy_chunks: the block handed out last */
    uint64_t random_count;      /* random octets handed out */
    /* The toy host mechanism ("X-TWICE" semantics for every name in
     * host_mechs): the client sends a name, the server challenges
     * "again?", the client sends the same name again: logged in as that
     * name (a registered user).  A missing initial response gets an empty
     * challenge first. */
    unsigned sasl_next_step;    /* the step number expected next */
    int sasl_have_name;
    char sasl_name[MOCK_SASL_NAME];

    /* ---- records ---- */
    unsigned calls[MOCK_OP_COUNT];  /* request callbacks, by mock_op */
    unsigned opens;             /* successful maildrop opens */
    unsigned maildrop_closes;
    int last_committed;         /* committed flag of the last maildrop_close */
    unsigned commits;
    int commit_result;          /* result the commit reported (delivered) */
    uint32_t commit_deleted[MOCK_MAX_RECORDED]; /* first deleted, ascending */
    uint32_t commit_ndeleted;   /* how many were deleted in all */
    unsigned msg_reads;
    unsigned msg_closes;
    unsigned sasl_steps;        /* sasl_step calls */
    unsigned events;            /* trace events */
    unsigned limit_mask;        /* 1 << pop3_limit of every LIMIT event */
    unsigned auth_ok_events;    /* POP3_EV_AUTH with ok = 1 */
    unsigned auth_fail_events;  /* POP3_EV_AUTH with ok = 0 */
    int close_event;            /* code of the CLOSE event, 0 if none */
    unsigned nviolations;
    char violation[MOCK_MAX_VIOLATIONS][MOCK_VIOLATION_LEN];

    /* ---- counting allocator (mock_allocator) ---- */
    void *live_ptr[MOCK_MAX_LIVE];
    size_t live_size[MOCK_MAX_LIVE];
    unsigned nlive;
    unsigned allocs, frees;
    int fail_alloc_after;       /* >= 0: refuse allocations after this many */
} mock_backend;

/* Zero everything and set defaults. */
void mock_init(mock_backend *mb);
/* Forget state and records before the next session; keep the setup and
 * zero the failure rules' counters.  Frees a pending chunk copy. */
void mock_reset(mock_backend *mb);

/* Register a user (name and secret are host-owned).  NULL when full. */
mock_user *mock_add_user(mock_backend *mb, const char *name,
                         const void *secret, size_t secret_len,
                         int host_verifies);
/* Register a valid bearer token (host-owned strings).  -1 when full.
 * The token also becomes a secret no trace event may show. */
int mock_add_token(mock_backend *mb, const void *token, size_t len,
                   const char *user);
/* Fill a message; size = pop3_wire_size(raw) (override m->size after). */
void mock_msg_set(mock_msg *m, const void *raw, size_t raw_len,
                  const char *uid, size_t uid_len);
/* Add a failure rule (see mock_fail).  -1 when full. */
int mock_add_fail(mock_backend *mb, int op, int result, uint32_t msgno,
                  uint32_t at, uint32_t times);
/* Add a string trace events must never contain; with must_wipe also one
 * that freed or deinitialised session memory must not contain (a
 * password; users' secrets are always checked).  -1 when full. */
int mock_add_secret(mock_backend *mb, const void *p, size_t len,
                    int must_wipe);
/* Record a violation if [mem, mem+size) still holds a password or a
 * user's secret (call on session memory after pop3_session_deinit; the
 * counting allocator does it for every block it frees). */
void mock_check_wiped(mock_backend *mb, const void *mem, size_t size,
                      const char *what);

/* Fill every entry of cb (pop3_callbacks_init first).  user_data given to
 * the session MUST be the mock_backend. */
void mock_callbacks(pop3_callbacks *cb);
/* A counting allocator over malloc that checks free sizes. */
pop3_allocator mock_allocator(mock_backend *mb);

/* 1 while a PENDING answer waits for mock_deliver. */
int mock_has_pending(const mock_backend *mb);
/* Deliver the outstanding answer with the matching pop3_session_*_done
 * and return its code (POP3_E_NOT_PENDING when there is none). */
int mock_deliver(mock_backend *mb, pop3_session *s);

/* After the session is freed: check every open was closed, no message is
 * being read, every block was freed; release the chunk copy. */
void mock_finish(mock_backend *mb);

/* Record a violation (printf-style); for harnesses building on the mock. */
void mock_violation(mock_backend *mb, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

const char *mock_op_name(int op);
/* "OK", "DENIED", ..., "FATAL"; NULL-safe parse returns -2 if unknown. */
const char *mock_result_name(int result);
int mock_result_parse(const char *name);

#endif
