/*
 * pop3.h - libpop3, an embeddable sans-I/O POP3 server engine.
 *
 * This header is the manual.  Read the conventions first; every function
 * below states its contract and the exact list of codes it can return.
 *
 * ========================================================================
 * CONVENTIONS
 * ========================================================================
 *
 * Words.  MUST / MUST NOT are requirements on the host (the program that
 * links libpop3).  Breaking one is host misuse: the library detects what it
 * cheaply can and returns POP3_E_INVALID, POP3_E_STATE or POP3_E_REENTRANT;
 * what it cannot detect is undefined behaviour.
 *
 * Sans-I/O.  The library never reads or writes a socket, never sleeps,
 * never reads a clock and never allocates except through the allocator the
 * host gives it.  Bytes from the peer go in (pop3_session_in_buf/in_ack or
 * pop3_session_recv), bytes for the peer come out (pop3_session_out_buf/
 * out_ack), questions about the mailbox are asked through callbacks, and
 * time is passed in (pop3_session_tick).
 *
 * Peer errors are not API errors.  Whatever the client sends produces a
 * well-formed "-ERR" reply (or an orderly close after a limit).  Negative
 * return codes are for host misuse and for fatal backend failures only.
 *
 * Return codes.  Functions returning int return POP3_OK (0) or a negative
 * pop3_error code.  Codes at or below POP3_E_FATAL are fatal and sticky:
 * the session is closed, its status is exactly POP3_STATUS_CLOSED, and
 * every later call that would change the session returns the same code.
 * pop3_session_last_error() then gives a human-readable reason.
 *
 * Ownership and lifetimes.
 *   - Configuration and callback structs are copied at init (strings in the
 *     configuration too); the host's copies may be freed afterwards.
 *   - Pointers the library gives the host (in_buf, out_buf, request
 *     structs passed to callbacks) stay valid exactly as long as each
 *     function documents, and never past pop3_session_free/deinit.
 *   - Pointers the host gives in an answer (user ids, secrets) need only
 *     live until the call that delivers the answer returns: the library
 *     copies or consumes them at once.  The one exception is message
 *     data (pop3_chunk), which the library reads from in place: it MUST
 *     stay valid until the next msg_read or msg_close callback for that
 *     session, or until the session is freed.
 *
 * Threading.  A session is not thread-safe; all calls for one session MUST
 * come from one thread at a time (any thread, serialised).  Different
 * sessions are independent: the library has no global mutable state.
 *
 * Re-entrancy.  From inside a callback the host MAY call only the read-only
 * functions marked "callback-safe".  Every other session function called
 * from inside a callback returns POP3_E_REENTRANT and changes nothing.  A
 * request callback answers inline by filling its answer struct and
 * returning POP3_ANSWERED, or later by returning POP3_PENDING and calling
 * the matching completion function from outside any callback.
 *
 * Message numbers are POP3's: 1-based, stable for the whole session.
 *
 * Versioned structs.  pop3_config, pop3_callbacks and pop3_stats begin
 * with struct_size.  A pop3_config MUST be filled by pop3_config_init()
 * before fields are changed (zero is not the default of every field); a
 * pop3_callbacks by pop3_callbacks_init() or by zeroing it and setting
 * struct_size = sizeof(pop3_callbacks); a pop3_stats by zeroing it and
 * setting struct_size.  The library reads only the fields struct_size
 * covers and gives later fields their defaults, so a program built against
 * an older header keeps working with a newer library.
 *
 * Memory.  With the default configuration a session takes less than 8 KiB,
 * buffers included (pop3_session_mem_size(NULL); the test suite holds it
 * there); the only other allocation is the deletion mark set (one bit per
 * message) at login.
 */
#ifndef POP3_H
#define POP3_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------
 * Export macro and versions
 * ---------------------------------------------------------------------- */

#if defined(_WIN32) && defined(POP3_BUILDING_SHARED)
#  define POP3_API __declspec(dllexport)
#elif defined(__GNUC__) || defined(__clang__)
#  define POP3_API __attribute__((visibility("default")))
#else
#  define POP3_API
#endif

#define POP3_VERSION_MAJOR 0
#define POP3_VERSION_MINOR 1
#define POP3_VERSION_PATCH 0
#define POP3_VERSION_STRING "0.1.0"
/* (major << 16) | (minor << 8) | patch, comparable with < and >. */
#define POP3_VERSION_NUMBER \
    ((POP3_VERSION_MAJOR << 16) | (POP3_VERSION_MINOR << 8) | POP3_VERSION_PATCH)

/* The version of the library actually linked, as POP3_VERSION_NUMBER.
 * Callback-safe.  Never fails. */
POP3_API unsigned pop3_version(void);
/* The same as a string, e.g. "0.1.0".  Static storage.  Never fails. */
POP3_API const char *pop3_version_string(void);

/* ------------------------------------------------------------------------
 * Errors: one table generates the enum, the names and the descriptions.
 * X(name, value, description)
 * ---------------------------------------------------------------------- */

#define POP3_ERROR_TABLE(X)                                                  \
    X(POP3_OK,             0, "success")                                     \
    X(POP3_E_INVALID,     -1, "invalid argument")                            \
    X(POP3_E_STATE,       -2, "call not valid in the session's current state") \
    X(POP3_E_REENTRANT,   -3, "call not allowed from inside a callback")     \
    X(POP3_E_NOT_PENDING, -4, "no request of that kind is pending")          \
    X(POP3_E_CLOSED,      -5, "the session is closed")                       \
    X(POP3_E_TOO_SMALL,   -6, "memory or buffer too small")                  \
    X(POP3_E_FATAL,     -100, "fatal error threshold")                       \
    X(POP3_E_NOMEM,     -101, "out of memory")                               \
    X(POP3_E_CALLBACK,  -102, "a callback reported a fatal failure")         \
    X(POP3_E_BACKEND,   -103, "the backend failed in the middle of a reply") \
    X(POP3_E_INTERNAL,  -104, "internal error in libpop3")

enum pop3_error {
#define POP3_X_ENUM_(name, value, text) name = value,
    POP3_ERROR_TABLE(POP3_X_ENUM_)
#undef POP3_X_ENUM_
    POP3_ERROR_LAST_ = -105
};

/* Description of an error code, e.g. "out of memory".  Unknown codes give
 * "unknown error".  Static storage.  Callback-safe.  Never fails. */
POP3_API const char *pop3_strerror(int code);
/* The code's name, e.g. "POP3_E_NOMEM"; unknown codes give "POP3_E_?".
 * Static storage.  Callback-safe.  Never fails. */
POP3_API const char *pop3_error_name(int code);
/* 1 if code <= POP3_E_FATAL (fatal and sticky), else 0.  Callback-safe. */
POP3_API int pop3_error_is_fatal(int code);

/* ------------------------------------------------------------------------
 * Allocator hooks
 * ---------------------------------------------------------------------- */

/* alloc returns size bytes aligned for any object, or NULL.  free is given
 * the size that was allocated (arenas and pools like that).  NULL in place
 * of a pop3_allocator means libc malloc/free. */
typedef struct pop3_allocator {
    void *(*alloc)(void *ctx, size_t size);
    void (*free)(void *ctx, void *ptr, size_t size);
    void *ctx;
} pop3_allocator;

/* ------------------------------------------------------------------------
 * Configuration (policy shared by many sessions; copied at init)
 * ---------------------------------------------------------------------- */

/* pop3_config.flags.  Every default is "off". */
enum pop3_config_flag {
    /* Require CRLF: a line ended by a bare LF is rejected with -ERR.
     * Default: bare LF is accepted as a terminator, as every deployed
     * server does. */
    POP3_CFG_STRICT_CRLF        = 1u << 0,
    /* Accept TAB as an argument separator and runs of separators,
     * including trailing ones. */
    POP3_CFG_LENIENT_SPACES     = 1u << 1,
    /* Close the session (after the -ERR) when a line exceeds max_line. */
    POP3_CFG_CLOSE_ON_LONG_LINE = 1u << 2,
    /* Send "-ERR autologout" before closing on the idle timer.  RFC 1939 §3
     * says close without a reply, which is the default. */
    POP3_CFG_AUTOLOGOUT_REPLY   = 1u << 3,
    /* Accept USER/PASS (and plaintext SASL mechanisms) on every channel,
     * even one the host has not declared protected.  See
     * POP3_CONN_PROTECTED. */
    POP3_CFG_ALLOW_PLAINTEXT    = 1u << 4,
    /* Do not advertise or send response codes (RESP-CODES, AUTH-RESP-CODE,
     * "[IN-USE]" and friends).  For clients that choke on them. */
    POP3_CFG_NO_RESP_CODES      = 1u << 5,
    /* Do not advertise PIPELINING (commands are still answered in order). */
    POP3_CFG_NO_PIPELINING      = 1u << 6,
    /* TOP on a message without an empty line ending its headers: add the
     * empty line after the headers (default: send the header lines only). */
    POP3_CFG_TOP_ADD_BLANK      = 1u << 7,
    /* Support the obsolete LAST command (RFC 1460). */
    POP3_CFG_ENABLE_LAST        = 1u << 8,
    /* A UIDL from the backend that is not 1-70 characters of 0x21-0x7E:
     * fail the command with "-ERR [SYS/TEMP]" instead of the default, which
     * replaces it with a stable derived id ("~" followed by 32 hex digits of
     * the MD5 of the backend's bytes). */
    POP3_CFG_UIDL_STRICT        = 1u << 9,
    /* A bare "AUTH" (no mechanism) lists the mechanisms, one per line, as
     * old Outlook versions expect.  Default: "-ERR usage: ...". */
    POP3_CFG_AUTH_LIST          = 1u << 10,
    /* Let PLAIN and SCRAM carry an authorization identity different from
     * the authentication identity.  The host's authenticate callback then
     * MUST decide whether req->user may act as req->authzid.  Default:
     * such attempts fail before the host is asked.  (EXTERNAL's authzid is
     * always the host's to judge; see pop3_auth_request.) */
    POP3_CFG_ALLOW_AUTHZID      = 1u << 11,
    /* RFC 6856: offer the UTF8 command (CAPA "UTF8").  After it the client
     * may receive unencoded UTF-8 headers (pop3_session_utf8() tells the
     * host) and, with POP3_CFG_UTF8_USER, send UTF-8 user names. */
    POP3_CFG_UTF8               = 1u << 12,
    /* Accept UTF-8 user names in USER and APOP (CAPA "UTF8 USER"), once
     * the UTF8 command was given; they must be well-formed UTF-8. */
    POP3_CFG_UTF8_USER          = 1u << 13,
    /* Also accept UTF8 in TRANSACTION (an Outlook habit). */
    POP3_CFG_UTF8_IN_TRANSACTION = 1u << 14,
    /* RFC 6856 §3: offer LANG.  Reply texts exist in English only, so the
     * listing has one entry ("en") and selecting it is all LANG can do. */
    POP3_CFG_LANG               = 1u << 15,
    /* RETR/TOP: send each NUL octet of a message as 0x80 (old Outlook
     * versions hang on NUL).  Sizes are unchanged (one octet for one). */
    POP3_CFG_MAP_NUL            = 1u << 16
};

/* pop3_config.sasl_mechs: the SASL mechanisms offered (RFC 5034).
 * CAPA's SASL line lists those usable on the channel at that moment:
 * PLAIN and LOGIN only where plaintext login is allowed. */
enum pop3_sasl_mech {
    POP3_SASL_PLAIN         = 1u << 0, /* RFC 4616: same check as USER/PASS */
    POP3_SASL_LOGIN         = 1u << 1, /* draft-murchison-sasl-login */
    POP3_SASL_CRAM_MD5      = 1u << 2, /* RFC 2195: needs random, secret */
    POP3_SASL_SCRAM_SHA_1   = 1u << 3, /* RFC 5802: needs random, keys */
    POP3_SASL_SCRAM_SHA_256 = 1u << 4, /* RFC 7677 */
    POP3_SASL_OAUTHBEARER   = 1u << 5, /* RFC 7628: token to the host */
    POP3_SASL_XOAUTH2       = 1u << 6, /* Google/Microsoft: token to host */
    POP3_SASL_EXTERNAL      = 1u << 7, /* RFC 4422 A: host's transport */
    POP3_SASL_HOST          = 1u << 8  /* pop3_config.host_mechs, run by
                                          the sasl_step callback */
};

/* pop3_config.login_delay / expire special values. */
#define POP3_NOT_ADVERTISED (-1)
#define POP3_EXPIRE_NEVER   (-2)

typedef struct pop3_config {
    size_t struct_size;         /* sizeof(pop3_config); set by pop3_config_init */
    unsigned flags;             /* pop3_config_flag bits */

    /* Longest command line accepted, CRLF included.  Default and minimum
     * 255 (RFC 2449 §4); maximum 4096. */
    uint32_t max_line;
    /* Input buffer capacity (bytes read ahead).  Default 1024; raised to
     * max_line if smaller; maximum 65536. */
    uint32_t in_buf_size;
    /* Output window capacity.  Default 4096; minimum 1024; maximum 1 MiB. */
    uint32_t out_buf_size;

    /* Bad commands (unknown, wrong state, bad syntax, overlong line)
     * tolerated before the session is closed.  The counter restarts at
     * login.  Defaults 3 (AUTHORIZATION) and 20 (TRANSACTION); 0 means
     * unlimited. */
    uint32_t max_bad_commands_auth;
    uint32_t max_bad_commands_trans;
    /* Failed authentications before the session is closed.  Default 3;
     * 0 means unlimited. */
    uint32_t max_auth_failures;
    /* Delay before a failed authentication is answered, in ms of the
     * host's clock.  Default 2000; 0 answers at once. */
    uint32_t auth_fail_delay_ms;
    /* Idle time before autologout in TRANSACTION.  Default 600000 (10
     * minutes); values below 600000 are raised to it (RFC 1939 §3); 0
     * disables the timer. */
    uint32_t idle_timeout_ms;
    /* Idle time allowed in AUTHORIZATION.  Default 60000; 0 disables. */
    uint32_t auth_timeout_ms;

    /* Text after "+OK " in the greeting.  Default "POP3 server ready".
     * At most 255 octets of printable ASCII.  Copied at init. */
    const char *greeting;
    /* CAPA IMPLEMENTATION text, NULL (default) to leave it out.  At most
     * 255 octets of printable ASCII.  Copied at init. */
    const char *implementation;

    /* CAPA LOGIN-DELAY seconds, or POP3_NOT_ADVERTISED (default).  What is
     * advertised must be enforced by the host's open_maildrop answer
     * (POP3_R_LOGIN_DELAY). */
    int32_t login_delay;
    /* CAPA EXPIRE days, POP3_EXPIRE_NEVER, or POP3_NOT_ADVERTISED
     * (default). */
    int32_t expire;
    /* Nonzero: the values above may differ per user; CAPA says "USER" in
     * AUTHORIZATION and the user's own value (from pop3_maildrop) in
     * TRANSACTION. */
    int login_delay_per_user;
    int expire_per_user;

    /* pop3_sasl_mech bits.  Default POP3_SASL_PLAIN | POP3_SASL_LOGIN. */
    unsigned sasl_mechs;
    /* Longest AUTH line (the command with an initial response, and each
     * client response), CRLF included.  0 (default): 1024, or 8192 when
     * OAUTHBEARER or XOAUTH2 is offered (bearer tokens are long).  At
     * least max_line, at most 65536.  The input buffer grows to hold it. */
    uint32_t max_auth_line;
    /* Space-separated names of host-driven mechanisms (POP3_SASL_HOST),
     * e.g. "GSSAPI".  At most 255 octets.  Copied at init. */
    const char *host_mechs;
    /* The host name in CRAM-MD5 challenges.  Default "localhost".  At most
     * 64 octets.  Copied at init. */
    const char *hostname;
} pop3_config;

/* Fill cfg with the defaults above and struct_size.  Never fails. */
POP3_API void pop3_config_init(pop3_config *cfg);

/* Validate cfg (NULL: the defaults) and store in *effective the values a
 * session would use: defaults for fields past cfg->struct_size, limits
 * raised where the documentation says so (idle_timeout_ms, in_buf_size,
 * max_auth_line).  String pointers are copied as they are (not the
 * strings).  Returns POP3_OK, or POP3_E_INVALID (effective NULL or a bad
 * value; *effective is then unspecified). */
POP3_API int pop3_config_check(const pop3_config *cfg, pop3_config *effective);

/* ------------------------------------------------------------------------
 * Requests, answers and callbacks
 * ---------------------------------------------------------------------- */

typedef struct pop3_session pop3_session;

/* What a request callback returns. */
enum pop3_answer_mode {
    POP3_ANSWERED = 0,  /* the answer struct is filled in */
    POP3_PENDING  = 1   /* the host will call the completion function later */
    /* A negative value is a fatal backend failure: the session is closed
     * without UPDATE and the API call that ran the callback returns
     * POP3_E_CALLBACK. */
};

/* The result inside every answer.  Each request documents which apply. */
enum pop3_result {
    POP3_R_OK = 0,      /* success; authentication accepted */
    POP3_R_DENIED,      /* authentication refused: unknown user, wrong
                           password, disabled account - one uniform reply */
    POP3_R_SECRET,      /* authentication: here is the shared secret, let
                           the library verify (constant time) */
    POP3_R_IN_USE,      /* maildrop locked by another session: [IN-USE] */
    POP3_R_LOGIN_DELAY, /* logged in too recently: [LOGIN-DELAY] */
    POP3_R_NO_MESSAGE,  /* the message vanished: "-ERR no such message" */
    POP3_R_TEMPFAIL,    /* temporary failure: [SYS/TEMP] */
    POP3_R_PERMFAIL,    /* permanent failure: [SYS/PERM] */
    POP3_R_SCRAM,       /* authentication: here are the SCRAM keys */
    POP3_R_CONTINUE,    /* host-driven SASL: send this challenge */
    POP3_R_NEEDS_UTF8   /* msg_info/msg_read: the message has UTF-8 headers
                           and the client has not sent UTF8: [UTF8] */
};

/* --- authenticate ------------------------------------------------------- */

enum pop3_auth_kind {
    POP3_AUTH_PASS = 1,     /* a password: USER/PASS, AUTH PLAIN, AUTH LOGIN */
    POP3_AUTH_APOP = 2,     /* APOP name digest */
    POP3_AUTH_CRAM_MD5 = 3, /* AUTH CRAM-MD5: challenge + HMAC-MD5 digest */
    POP3_AUTH_SCRAM = 4,    /* AUTH SCRAM-SHA-1 / SCRAM-SHA-256: the host
                               gives the user's SCRAM credentials */
    POP3_AUTH_BEARER = 5,   /* AUTH OAUTHBEARER / XOAUTH2: verify a token */
    POP3_AUTH_EXTERNAL = 6  /* AUTH EXTERNAL: decide from the transport */
};

typedef struct pop3_auth_request {
    int kind;                   /* pop3_auth_kind */
    const char *user;           /* authentication identity, NUL-terminated,
                                   as the client sent it; for bearer tokens
                                   the identity the message names
                                   (OAUTHBEARER a=, XOAUTH2 user=), "" when
                                   none; "" for EXTERNAL */
    size_t user_len;
    const char *password;       /* POP3_AUTH_PASS: NUL-terminated, may
                                   contain spaces; NULL otherwise */
    size_t password_len;
    const char *timestamp;      /* APOP: the greeting's <...>;
                                   CRAM-MD5: the challenge sent */
    const char *digest;         /* APOP, CRAM-MD5: 32 lowercase hex digits */
    const char *mechanism;      /* "USER", "APOP", or the SASL name */
    const char *authzid;        /* requested authorization identity, "" if
                                   none.  PLAIN, SCRAM: differs from user
                                   only with POP3_CFG_ALLOW_AUTHZID.
                                   EXTERNAL: whatever the client asked to
                                   be (possibly ""): the host MUST check it
                                   against what the transport proves */
    size_t authzid_len;
    const char *token;          /* POP3_AUTH_BEARER: the bearer token */
    size_t token_len;
} pop3_auth_request;
/* The request and every pointer in it stay valid until the answer is
 * delivered (callback return or pop3_session_auth_done).  The password is
 * wiped from the library's memory right after. */

typedef struct pop3_auth_answer {
    int result;                 /* POP3_R_OK, POP3_R_DENIED, POP3_R_SECRET,
                                   POP3_R_SCRAM (SCRAM only),
                                   POP3_R_TEMPFAIL, POP3_R_PERMFAIL */
    const void *secret;         /* POP3_R_SECRET: the user's shared secret
                                   (PASS: compared with the password; APOP:
                                   MD5(timestamp secret) compared with the
                                   digest; CRAM-MD5: HMAC-MD5(secret,
                                   challenge); SCRAM: the password, keys
                                   derived with salt and iterations below).
                                   Read during the answer only. */
    size_t secret_len;
    /* POP3_R_OK: the identity that logged in when it is not req->user
     * (EXTERNAL, bearer tokens, canonical names); NULL keeps req->user,
     * or req->authzid when one was given.  Copied. */
    const char *login_user;
    /* SCRAM (POP3_R_SCRAM, or POP3_R_SECRET): salt (1-64 octets) and
     * iteration count (1-1000000) as stored for the user; for
     * POP3_R_SCRAM also StoredKey and ServerKey (20 octets for SHA-1, 32
     * for SHA-256).  POP3_R_DENIED for an unknown user is fine: the
     * exchange continues with made-up keys and fails at its end, so
     * unknown users cannot be told from wrong passwords.  Give a salt and
     * count with POP3_R_DENIED too (derived from a server secret and the
     * name) and not even the salt betrays them; otherwise it is random. */
    const unsigned char *salt;
    size_t salt_len;
    uint32_t iterations;
    const unsigned char *stored_key;
    const unsigned char *server_key;
    /* POP3_AUTH_BEARER, POP3_R_DENIED: the JSON error sent in the
     * OAUTHBEARER/XOAUTH2 failure challenge; NULL sends
     * {"status":"invalid_token"}.  At most 255 octets. */
    const char *bearer_error;
} pop3_auth_answer;

/* --- open_maildrop ------------------------------------------------------ */

typedef struct pop3_maildrop {
    int result;                 /* POP3_R_OK, POP3_R_IN_USE,
                                   POP3_R_LOGIN_DELAY, POP3_R_TEMPFAIL,
                                   POP3_R_PERMFAIL */
    uint32_t count;             /* messages, numbered 1..count */
    uint64_t octets;            /* sum of their sizes (as LIST reports) */
    int32_t login_delay;        /* per-user CAPA value in TRANSACTION, or
                                   POP3_NOT_ADVERTISED to keep the config's */
    int32_t expire;             /* likewise for EXPIRE */
} pop3_maildrop;
/* Before calling open_maildrop the library sets login_delay and expire to
 * POP3_NOT_ADVERTISED and everything else to 0. */

/* --- msg_info ----------------------------------------------------------- */

enum pop3_info_want {
    POP3_WANT_SIZE = 1u << 0,
    POP3_WANT_UID  = 1u << 1
};

typedef struct pop3_msg_info {
    int result;                 /* POP3_R_OK, POP3_R_NO_MESSAGE,
                                   POP3_R_NEEDS_UTF8, POP3_R_TEMPFAIL,
                                   POP3_R_PERMFAIL */
    uint64_t size;              /* octets with CRLF line ends, not counting
                                   dot-stuffing (see pop3_wire_size) */
    const char *uid;            /* unique id; read during the answer only.
                                   RFC 1939 §7: 1-70 octets of 0x21-0x7E,
                                   unique in the maildrop, stable across
                                   sessions, never reused.  The library
                                   repairs (or with POP3_CFG_UIDL_STRICT
                                   refuses) ids of the wrong form; it
                                   cannot see duplicates (that would need
                                   every id of the maildrop in memory), so
                                   uniqueness is the backend's duty: derive
                                   ids from a unique key (pop3d uses the
                                   Maildir unique name). */
    size_t uid_len;
} pop3_msg_info;

/* --- msg_read ----------------------------------------------------------- */

typedef struct pop3_read_request {
    uint32_t msgno;             /* message being sent (RETR or TOP) */
    uint64_t offset;            /* raw octets of it already delivered */
    size_t hint;                /* room in the output window: a good size
                                   for this chunk (any size is accepted) */
} pop3_read_request;

typedef struct pop3_chunk {
    int result;                 /* POP3_R_OK, POP3_R_NO_MESSAGE,
                                   POP3_R_NEEDS_UTF8 (first chunk only),
                                   POP3_R_TEMPFAIL, POP3_R_PERMFAIL */
    const void *data;           /* raw message bytes as stored (LF or CRLF
                                   line ends, no dot-stuffing) */
    size_t len;                 /* 0 with POP3_R_OK: end of message */
} pop3_chunk;
/* data is read in place: it MUST stay valid until the next msg_read or
 * msg_close callback of the session, or until the session is freed. */

/* --- commit ------------------------------------------------------------- */

typedef struct pop3_commit_request {
    uint32_t count;             /* messages in the maildrop */
    uint32_t deleted;           /* how many are marked deleted */
    uint64_t deleted_octets;    /* their total size */
} pop3_commit_request;
/* Enumerate the marks with pop3_session_next_deleted(). */

/* --- trace events -------------------------------------------------------- */

enum pop3_event_type {
    POP3_EV_COMMAND = 1,  /* a command line was received */
    POP3_EV_REPLY,        /* a status line was queued for output */
    POP3_EV_STATE,        /* the session changed state */
    POP3_EV_LIMIT,        /* a limit was hit (see pop3_limit) */
    POP3_EV_BODY,         /* a multi-line reply finished */
    POP3_EV_DISCARD,      /* input was discarded unread */
    POP3_EV_CLOSE,        /* the session ended (see pop3_close_reason) */
    POP3_EV_AUTH          /* a login attempt was decided: verb is the
                             mechanism ("USER", "APOP" or the SASL name),
                             args the user name as the client gave it (may
                             be empty), ok 1 if the credentials were
                             accepted (the maildrop may still be refused),
                             0 if refused.  For logs and fail2ban. */
};

enum pop3_limit {
    POP3_LIMIT_LINE_LENGTH = 1,
    POP3_LIMIT_BAD_COMMANDS,
    POP3_LIMIT_AUTH_FAILURES,
    POP3_LIMIT_IDLE_TIMEOUT
};

enum pop3_close_reason {
    POP3_CLOSE_QUIT = 1,        /* QUIT (with UPDATE in TRANSACTION) */
    POP3_CLOSE_EOF,             /* the peer closed its side */
    POP3_CLOSE_TIMEOUT,         /* autologout */
    POP3_CLOSE_LIMIT,           /* a limit closed the session */
    POP3_CLOSE_ABORT,           /* pop3_session_abort() */
    POP3_CLOSE_ERROR,           /* a fatal error */
    POP3_CLOSE_TLS_FAILED       /* pop3_session_tls_done(s, 0) after STLS */
};

typedef struct pop3_event {
    int type;                   /* pop3_event_type */
    int state;                  /* session state after the event */
    /* POP3_EV_COMMAND: the verb upper-cased and the arguments.  Secrets
     * are never shown: PASS arguments and APOP digests are replaced by
     * "***" and redacted is set. */
    const char *verb;
    const char *args;           /* NULL when there are none */
    size_t args_len;
    int redacted;
    /* POP3_EV_REPLY: the status line without CRLF; ok is 1 for +OK, 0 for
     * -ERR, 2 for a "+ " AUTH challenge. */
    const char *line;
    size_t line_len;
    int ok;
    /* POP3_EV_STATE: the previous state. */
    int old_state;
    /* POP3_EV_LIMIT: pop3_limit.  POP3_EV_CLOSE: pop3_close_reason. */
    int code;
    /* POP3_EV_BODY: message number (0 for LIST/UIDL/CAPA) and octets of
     * the whole reply after the status line.  POP3_EV_DISCARD: octets. */
    uint32_t msgno;
    uint64_t octets;
} pop3_event;
/* The event and its strings live only for the duration of the callback. */

/* --- sasl_step (host-driven mechanisms, POP3_SASL_HOST) ----------------- */

typedef struct pop3_sasl_request {
    const char *mechanism;      /* as listed in host_mechs, upper-case */
    unsigned step;              /* 0 for the first client message */
    const unsigned char *data;  /* decoded client response */
    size_t len;
    int has_data;               /* 0 when the client sent no initial
                                   response (step 0 only) */
} pop3_sasl_request;

typedef struct pop3_sasl_answer {
    int result;                 /* POP3_R_CONTINUE (send data as "+ "
                                   challenge), POP3_R_OK (login_user
                                   required), POP3_R_DENIED,
                                   POP3_R_TEMPFAIL, POP3_R_PERMFAIL */
    const void *data;           /* POP3_R_CONTINUE: challenge octets */
    size_t len;
    const char *login_user;     /* POP3_R_OK: who logged in.  Copied. */
} pop3_sasl_answer;

/* --- the callback table --------------------------------------------------- */

typedef struct pop3_callbacks {
    size_t struct_size;         /* sizeof(pop3_callbacks) */

    /* REQUIRED.  Verify credentials (USER/PASS or APOP).  Fill ans and
     * return POP3_ANSWERED, or return POP3_PENDING and later call
     * pop3_session_auth_done().  A negative return is fatal. */
    int (*authenticate)(void *user_data, pop3_session *s,
                        const pop3_auth_request *req, pop3_auth_answer *ans);

    /* REQUIRED.  Open (and lock) the authenticated user's maildrop.  The
     * user name is pop3_session_user().  Answer or pend; completion is
     * pop3_session_open_done(). */
    int (*open_maildrop)(void *user_data, pop3_session *s, pop3_maildrop *ans);

    /* REQUIRED.  Size and/or unique id of message msgno (1..count), as
     * `want` (pop3_info_want bits) asks.  Completion:
     * pop3_session_info_done(). */
    int (*msg_info)(void *user_data, pop3_session *s, uint32_t msgno,
                    unsigned want, pop3_msg_info *ans);

    /* REQUIRED.  Next raw bytes of a message, from req->offset.  Completion:
     * pop3_session_read_done().  See pop3_chunk for the data lifetime. */
    int (*msg_read)(void *user_data, pop3_session *s,
                    const pop3_read_request *req, pop3_chunk *ans);

    /* Optional.  The library is done reading message msgno (the reply
     * ended, TOP had enough lines, or the session ended).  Called once
     * after the first msg_read of each RETR/TOP. */
    void (*msg_close)(void *user_data, pop3_session *s, uint32_t msgno);

    /* REQUIRED.  UPDATE state: delete every message marked deleted (see
     * pop3_session_next_deleted), durably, then answer POP3_R_OK, or
     * POP3_R_TEMPFAIL / POP3_R_PERMFAIL through *result.  Called only after
     * QUIT in TRANSACTION.  Completion: pop3_session_commit_done(). */
    int (*commit)(void *user_data, pop3_session *s,
                  const pop3_commit_request *req, int *result);

    /* Optional.  The maildrop is closed: after commit (committed = 1 if it
     * succeeded) or without UPDATE (committed = 0: end of input, timeout,
     * abort, fatal error, free).  Called exactly once per open_maildrop
     * whose POP3_R_OK answer the library received.  Release locks here.
     * If the session ends while open_maildrop is still pending, the
     * library never learns the outcome and does not call this: the host
     * releases what its pending open acquired (its completion call then
     * returns POP3_E_CLOSED). */
    void (*maildrop_close)(void *user_data, pop3_session *s, int committed);

    /* Optional observer: structured trace events, secrets redacted. */
    void (*trace)(void *user_data, pop3_session *s, const pop3_event *ev);

    /* Required when CRAM-MD5 or SCRAM is offered: fill buf with len
     * unpredictable octets (getrandom, arc4random, a DRBG) and return 0;
     * nonzero is a fatal failure.  The library has no randomness of its
     * own.  Never pends. */
    int (*random)(void *user_data, void *buf, size_t len);

    /* Required with POP3_SASL_HOST: one step of a host-driven mechanism.
     * The library frames, base64-codes and sequences; the host computes.
     * Completion: pop3_session_sasl_done(). */
    int (*sasl_step)(void *user_data, pop3_session *s,
                     const pop3_sasl_request *req, pop3_sasl_answer *ans);
} pop3_callbacks;

/* Zero cb and set struct_size.  Never fails. */
POP3_API void pop3_callbacks_init(pop3_callbacks *cb);

/* ------------------------------------------------------------------------
 * Session lifecycle
 * ---------------------------------------------------------------------- */

/* Bytes of memory a session needs with this configuration (NULL: the
 * defaults), everything included; 0 if the configuration is invalid.
 * The only other allocation a session ever makes is the per-maildrop mark
 * set (one bit per message) through the allocator, at login.
 * Callback-safe. */
POP3_API size_t pop3_session_mem_size(const pop3_config *cfg);

/* Initialise a session in caller-owned memory.  mem MUST be at least
 * pop3_session_mem_size(cfg) bytes, aligned for any object, and stay
 * untouched by the host until pop3_session_deinit().  cfg NULL means the
 * defaults; alloc NULL means malloc/free (used only for the mark set).
 * user_data is passed to every callback.
 * Returns the session (== mem) or NULL with *err (if err is not NULL) set:
 *   POP3_E_INVALID    NULL mem or cb, a missing required callback, a bad
 *                     config value, or misaligned mem
 *   POP3_E_TOO_SMALL  mem_size below pop3_session_mem_size(cfg)          */
POP3_API pop3_session *pop3_session_init(void *mem, size_t mem_size,
                                         const pop3_config *cfg,
                                         const pop3_callbacks *cb,
                                         void *user_data,
                                         const pop3_allocator *alloc,
                                         int *err);

/* The same with memory from alloc (NULL: malloc).  Errors as for
 * pop3_session_init, plus POP3_E_NOMEM. */
POP3_API pop3_session *pop3_session_new(const pop3_config *cfg,
                                        const pop3_callbacks *cb,
                                        void *user_data,
                                        const pop3_allocator *alloc,
                                        int *err);

/* pop3_connection.flags */
enum pop3_conn_flag {
    /* The channel is already encrypted (implicit TLS, RFC 8314). */
    POP3_CONN_TLS_ACTIVE    = 1u << 0,
    /* The host can start TLS on this channel (offers STLS). */
    POP3_CONN_TLS_AVAILABLE = 1u << 1,
    /* The host declares the channel protected without TLS (loopback, a
     * UNIX socket, a VPN): plaintext passwords are accepted. */
    POP3_CONN_PROTECTED     = 1u << 2
};

/* Per-connection facts, given at start. */
typedef struct pop3_connection {
    uint64_t now_ms;            /* the host's monotonic clock, in ms */
    unsigned flags;             /* pop3_conn_flag bits */
    /* APOP timestamp for the greeting, "<" ... ">", unique and
     * unpredictable, at most 200 octets of printable ASCII; NULL disables
     * APOP.  Copied. */
    const char *apop_timestamp;
} pop3_connection;

/* Start the session: queue the greeting and arm the AUTHORIZATION timer.
 * Call once, before any input.
 * Returns POP3_OK, or
 *   POP3_E_INVALID    NULL argument, or a malformed apop_timestamp
 *   POP3_E_STATE      already started
 *   POP3_E_REENTRANT  called from a callback                               */
POP3_API int pop3_session_start(pop3_session *s, const pop3_connection *conn);

/* End a session made by pop3_session_init: if a maildrop is open it is
 * closed without UPDATE (msg_close, maildrop_close are called), the mark
 * set is freed and secrets are wiped.  mem may then be reused.
 * Returns POP3_OK, or POP3_E_INVALID (NULL), POP3_E_REENTRANT.             */
POP3_API int pop3_session_deinit(pop3_session *s);

/* pop3_session_deinit and release memory from pop3_session_new.  NULL is
 * a no-op.  MUST NOT be called from a callback (it then does nothing). */
POP3_API void pop3_session_free(pop3_session *s);

/* Close the session at once without UPDATE (the transport failed, the
 * host is shutting down): queued output is dropped, the maildrop is
 * closed uncommitted, the status becomes POP3_STATUS_CLOSED.
 * Returns POP3_OK, or POP3_E_INVALID, POP3_E_REENTRANT.                    */
POP3_API int pop3_session_abort(pop3_session *s);

/* ------------------------------------------------------------------------
 * Bytes in
 * ---------------------------------------------------------------------- */

/* Where to put received bytes: returns a pointer to free input space and
 * its size in *cap (0 when the engine cannot take input now: its buffer
 * is full of commands waiting for the output to drain, or the session is
 * closing).  Valid until the next call that changes the session.
 * Returns NULL with *cap = 0 when no space. */
POP3_API unsigned char *pop3_session_in_buf(pop3_session *s, size_t *cap);

/* n bytes were written at pop3_session_in_buf().  Parses and executes as
 * many complete commands as the output window and the backend allow.
 * n = 0 is harmless.
 * Returns POP3_OK, or
 *   POP3_E_INVALID    n larger than the space given
 *   POP3_E_STATE      not started, or end of input was already signalled
 *   POP3_E_CLOSED     the session is closed
 *   POP3_E_REENTRANT  called from a callback
 *   a fatal code      from a callback or backend (session now closed)     */
POP3_API int pop3_session_in_ack(pop3_session *s, size_t n);

/* Copying alternative: takes up to len bytes of data.  Returns how many
 * were taken (possibly fewer than len, possibly 0: keep the rest and
 * offer it again when POP3_STATUS_READ is set), or a negative code as for
 * pop3_session_in_ack. */
POP3_API long pop3_session_recv(pop3_session *s, const void *data, size_t len);

/* The peer closed its sending side.  Complete commands already received
 * are still executed and answered; then the session closes without UPDATE
 * (a QUIT among them still commits).
 * Returns POP3_OK or as pop3_session_in_ack (except POP3_E_INVALID). */
POP3_API int pop3_session_in_eof(pop3_session *s);

/* ------------------------------------------------------------------------
 * Bytes out
 * ---------------------------------------------------------------------- */

/* Bytes to send: *len octets at the returned pointer (NULL, 0 when none).
 * The bytes and pointer stay valid and unchanged until the next
 * pop3_session_out_ack() or the end of the session, whatever else is
 * called in between - so completion-based I/O may keep them in flight.
 * Callback-safe. */
POP3_API const unsigned char *pop3_session_out_buf(pop3_session *s,
                                                   size_t *len);

/* n octets of pop3_session_out_buf() were sent.  Frees window space and
 * resumes any reply or pipelined command waiting for it.  n = 0 is
 * harmless.
 * Returns POP3_OK, or
 *   POP3_E_INVALID    n larger than the pending output
 *   POP3_E_REENTRANT  called from a callback
 *   a fatal code      from a callback or backend (session now closed)     */
POP3_API int pop3_session_out_ack(pop3_session *s, size_t n);

/* ------------------------------------------------------------------------
 * Status word
 * ---------------------------------------------------------------------- */

enum pop3_status_bit {
    POP3_STATUS_READ     = 1u << 0, /* input space available: read */
    POP3_STATUS_WRITE    = 1u << 1, /* output pending: write */
    POP3_STATUS_PENDING  = 1u << 2, /* a request awaits the host's completion */
    POP3_STATUS_START_TLS = 1u << 3, /* STLS accepted and its +OK sent:
                                        start the TLS handshake now */
    POP3_STATUS_DEADLINE = 1u << 4, /* a timer is armed: pop3_session_deadline */
    POP3_STATUS_CLOSED   = 1u << 5  /* final and exclusive: close the transport */
};

/* The bit set above.  CLOSED is never combined with another bit; it is
 * set once the session has ended and its last reply has been taken by
 * out_buf/out_ack.  READ is clear while the session is closing (output
 * still to flush) and while the input buffer is full.  A status of 0 can
 * only be seen before pop3_session_start.  Callback-safe. */
POP3_API unsigned pop3_session_status(const pop3_session *s);

/* ------------------------------------------------------------------------
 * STLS (RFC 2595 §4)
 *
 * Offered (CAPA "STLS", command accepted) only in AUTHORIZATION while the
 * connection has POP3_CONN_TLS_AVAILABLE and not POP3_CONN_TLS_ACTIVE.
 * When the client sends STLS the session answers "+OK begin TLS
 * negotiation" and throws away every byte already received after the STLS
 * line (counted in pop3_stats.discarded_octets and reported by a
 * POP3_EV_DISCARD event): this is the defence against plaintext commands
 * injected ahead of the handshake (CVE-2011-0411 and its kin).  From then
 * on the session takes no input (no POP3_STATUS_READ).  Once the +OK has
 * been taken by out_ack the status is POP3_STATUS_START_TLS (plus
 * DEADLINE: the AUTHORIZATION timer keeps running through the handshake).
 * The host then performs the handshake on its transport and reports it.
 * ---------------------------------------------------------------------- */

/* The TLS handshake asked for by POP3_STATUS_START_TLS finished.
 * ok != 0: the channel is now encrypted.  The session starts afresh in
 * AUTHORIZATION without a new greeting: USER forgotten, STLS withdrawn,
 * plaintext login allowed (the channel is protected), input accepted again.
 * ok == 0: the session closes (POP3_CLOSE_TLS_FAILED, no reply: the
 * channel is in an unknown state).
 * Returns POP3_OK, or
 *   POP3_E_INVALID    NULL session
 *   POP3_E_STATE      no handshake was requested (or its +OK not yet sent)
 *   POP3_E_REENTRANT  called from a callback
 *   a fatal code      from a callback run by commands that follow          */
POP3_API int pop3_session_tls_done(pop3_session *s, int ok);

/* Change the SASL mechanisms offered (pop3_sasl_mech bits) from now on,
 * e.g. to add POP3_SASL_EXTERNAL once a TLS handshake has verified a client
 * certificate.  Only in AUTHORIZATION with no AUTH exchange in progress.
 * The AUTH line limit and the input buffer stay as sized at init: give
 * max_auth_line for the largest set you may enable.
 * Returns POP3_OK, or
 *   POP3_E_INVALID    unknown bits, or a mechanism whose callback (random,
 *                     sasl_step) or host_mechs the session lacks
 *   POP3_E_STATE      not in AUTHORIZATION, or an AUTH exchange is running
 *   POP3_E_REENTRANT  called from a callback                               */
POP3_API int pop3_session_set_sasl(pop3_session *s, unsigned sasl_mechs);

/* ------------------------------------------------------------------------
 * Time
 * ---------------------------------------------------------------------- */

/* Tell the session the host's monotonic time (ms).  Fires every timer
 * that is due: the delayed reply after a failed login, the AUTHORIZATION
 * deadline, the TRANSACTION autologout.  Call it whenever the host wakes
 * up, before handing in input; time MUST NOT go backwards (a smaller
 * value is treated as the previous one).
 * Returns POP3_OK, POP3_E_INVALID, POP3_E_REENTRANT, POP3_E_STATE (not
 * started), or a fatal code from a callback. */
POP3_API int pop3_session_tick(pop3_session *s, uint64_t now_ms);

/* When the session next needs pop3_session_tick: stores the time in
 * *at_ms and returns 1, or returns 0 when no timer is armed.
 * Callback-safe. */
POP3_API int pop3_session_deadline(const pop3_session *s, uint64_t *at_ms);

/* ------------------------------------------------------------------------
 * Completions (outside callbacks only)
 *
 * Each returns POP3_OK, or
 *   POP3_E_INVALID      NULL argument or a result the request cannot have
 *   POP3_E_NOT_PENDING  no such request is outstanding
 *   POP3_E_CLOSED       the session ended meanwhile (the answer is ignored)
 *   POP3_E_REENTRANT    called from a callback
 *   a fatal code        from a later callback or the backend
 * ---------------------------------------------------------------------- */

POP3_API int pop3_session_auth_done(pop3_session *s,
                                    const pop3_auth_answer *ans);
POP3_API int pop3_session_open_done(pop3_session *s, const pop3_maildrop *ans);
POP3_API int pop3_session_info_done(pop3_session *s, const pop3_msg_info *ans);
POP3_API int pop3_session_read_done(pop3_session *s, const pop3_chunk *ans);
POP3_API int pop3_session_commit_done(pop3_session *s, int result);
POP3_API int pop3_session_sasl_done(pop3_session *s,
                                    const pop3_sasl_answer *ans);

/* ------------------------------------------------------------------------
 * Queries (all callback-safe)
 * ---------------------------------------------------------------------- */

enum pop3_state {
    POP3_STATE_INIT = 0,        /* before pop3_session_start */
    POP3_STATE_AUTHORIZATION,
    POP3_STATE_TRANSACTION,
    POP3_STATE_UPDATE,          /* QUIT received, commit running */
    POP3_STATE_CLOSED
};

POP3_API int pop3_session_state(const pop3_session *s);
/* "AUTHORIZATION" etc.; "?" for unknown values.  Static storage. */
POP3_API const char *pop3_state_name(int state);
/* The user name of a successful USER, APOP or login (NUL-terminated), or
 * NULL.  Valid until the next non-query call. */
POP3_API const char *pop3_session_user(const pop3_session *s);
POP3_API void *pop3_session_user_data(const pop3_session *s);
/* A sentence describing the last fatal error or limit, "" if none.
 * Valid until the next non-query call. */
POP3_API const char *pop3_session_last_error(const pop3_session *s);
/* 1 once the client has enabled UTF-8 mode with the UTF8 command (RFC
 * 6856): the host may then deliver internationalized messages unencoded;
 * before, it should answer POP3_R_NEEDS_UTF8 (or downgrade them). */
POP3_API int pop3_session_utf8(const pop3_session *s);

/* 1 if message msgno is marked deleted, else 0 (also when out of range
 * or not in TRANSACTION/UPDATE). */
POP3_API int pop3_session_is_deleted(const pop3_session *s, uint32_t msgno);
/* The first message marked deleted after `after` (0 starts), or 0 when
 * there is none.  Skips unmarked ranges a word at a time. */
POP3_API uint32_t pop3_session_next_deleted(const pop3_session *s,
                                            uint32_t after);

typedef struct pop3_stats {
    size_t struct_size;         /* set by the caller: sizeof(pop3_stats) */
    uint64_t bytes_in;          /* octets taken from the peer */
    uint64_t bytes_out;         /* octets acknowledged by out_ack */
    uint64_t commands;          /* complete command lines */
    uint64_t bad_commands;
    uint64_t auth_failures;
    uint64_t retr_count, retr_octets;   /* RETR replies begun (+OK sent) and
                                           body octets queued, so an
                                           interrupted RETR is counted */
    uint64_t top_count, top_octets;     /* the same for TOP */
    uint64_t dele_count;
    uint64_t discarded_octets;  /* input thrown away (STLS defence, EOF) */
    int close_reason;           /* pop3_close_reason, 0 while open */
} pop3_stats;

/* Copy the counters into *st (as many fields as st->struct_size covers).
 * Returns POP3_OK or POP3_E_INVALID. */
POP3_API int pop3_session_stats(const pop3_session *s, pop3_stats *st);

/* ------------------------------------------------------------------------
 * The state machine's own transition table (for diagrams and tests)
 * ---------------------------------------------------------------------- */

typedef struct pop3_transition {
    int from, to;               /* pop3_state */
    const char *event;          /* what causes it, e.g. "PASS ok + maildrop open" */
} pop3_transition;

/* The table the engine checks every state change against.  Static
 * storage; *count receives the number of rows.  Never fails. */
POP3_API const pop3_transition *pop3_transitions(size_t *count);

/* ------------------------------------------------------------------------
 * Codec: the body encoder and the wire-size function
 *
 * These are the exact functions the session uses for RETR, TOP and LIST
 * sizes; they are usable on their own.  Rules (RFC 1939 §3, §11):
 *   - LF alone becomes CRLF; CR LF stays; a CR not followed by LF becomes
 *     CR LF.  A CR at the end of one chunk and an LF at the start of the
 *     next are one line end.
 *   - A line that begins with "." is sent with one more "." (stuffing).
 *   - A message that does not end with a line end gets CRLF added.
 *   - The terminator "." CRLF follows.
 *   - TOP: the header lines, the empty line that ends them, then at most
 *     `lines` body lines.  A message with no empty line is all header.
 *   - NUL and 8-bit bytes pass unchanged.
 * ---------------------------------------------------------------------- */

typedef struct pop3_encoder {
    uint64_t lines_left;        /* TOP body lines still to send */
    uint64_t wire_octets;       /* octets emitted, stuffing not counted */
    uint64_t stuffed;           /* dots added by stuffing */
    unsigned char at_line_start;
    unsigned char pending_cr;   /* input ended on a CR not yet resolved */
    unsigned char in_body;      /* past the empty line ending the headers */
    unsigned char top;          /* counting body lines */
    unsigned char add_blank;    /* POP3_CFG_TOP_ADD_BLANK semantics */
    unsigned char done;         /* TOP has all its lines: stop feeding */
    unsigned char finished;     /* terminator written */
    unsigned char fin_step;     /* progress inside pop3_encoder_finish */
} pop3_encoder;

#define POP3_TOP_ALL UINT64_MAX

/* Prepare an encoder.  top = 0: a whole message (RETR); top = 1: TOP with
 * `lines` body lines; add_blank as POP3_CFG_TOP_ADD_BLANK.  Never fails. */
POP3_API void pop3_encoder_init(pop3_encoder *e, int top, uint64_t lines,
                                int add_blank);

/* Encode raw bytes from in[0..in_len) into out[0..out_cap).  Stops when
 * the input is used up, the output is full, or TOP has its lines.
 * *in_used receives the input octets consumed.  Returns the octets
 * written; octets of out past that count (but never past out_cap) may have
 * been used as scratch and hold nothing meaningful.  Any out_cap works (even 1); progress is guaranteed when
 * out_cap >= 3 or when bytes remain to be consumed that need no
 * expansion. */
POP3_API size_t pop3_encoder_encode(pop3_encoder *e, const void *in,
                                    size_t in_len, size_t *in_used,
                                    void *out, size_t out_cap);

/* 1 once no more input is wanted (TOP has all its lines), else 0. */
POP3_API int pop3_encoder_done(const pop3_encoder *e);

/* End of message: write the pending line end, the added final CRLF or
 * empty line if due, and the terminator "." CRLF.  Returns the octets
 * written; call again with more room until pop3_encoder_finished() is 1
 * (at most 7 octets are ever needed in total). */
POP3_API size_t pop3_encoder_finish(pop3_encoder *e, void *out, size_t out_cap);
POP3_API int pop3_encoder_finished(const pop3_encoder *e);

/* Streaming wire size: the octets a RETR of these bytes sends between the
 * status line and the terminator, not counting stuffing - the number LIST
 * and STAT must report. */
typedef struct pop3_sizer {
    uint64_t octets;
    unsigned char last;         /* last raw byte seen (0 at start) */
    unsigned char any;          /* at least one byte seen */
} pop3_sizer;

POP3_API void pop3_sizer_init(pop3_sizer *z);
POP3_API void pop3_sizer_update(pop3_sizer *z, const void *data, size_t len);
/* The final size (adds the CRLF a missing final line end costs). */
POP3_API uint64_t pop3_sizer_final(const pop3_sizer *z);
/* One-shot: pop3_sizer_init + update + final. */
POP3_API uint64_t pop3_wire_size(const void *data, size_t len);

/* ------------------------------------------------------------------------
 * Codec: APOP helpers (RFC 1939 §7, MD5 of RFC 1321)
 * ---------------------------------------------------------------------- */

/* Write the 32 lowercase hex digits of MD5(timestamp || secret) and a NUL
 * to hex_out[33].  For hosts that verify APOP themselves. */
POP3_API void pop3_apop_digest(const char *timestamp, const void *secret,
                               size_t secret_len, char hex_out[33]);

/* Compare a and b (n octets each) in time independent of their contents.
 * Returns 1 if equal, else 0. */
POP3_API int pop3_ct_equal(const void *a, const void *b, size_t n);

#ifdef __cplusplus
}
#endif
#endif /* POP3_H */
