/*
 * maildir.c - the Maildir backend.
 *
 * MAILROOT/USER is the user's Maildir (cur/, new/, tmp/).  At login:
 *   - the maildrop is locked in two places (see "Maildrop locks" below):
 *     an in-process table, for the sessions of this process, and a POSIX
 *     byte-range lock on one byte of MAILROOT/.pop3d-locks, so that other
 *     pop3d processes (--stdio under inetd runs one per connection;
 *     several daemons may share a mail root) see the lock too;
 *   - messages in new/ are moved to cur/ with an empty info (":2,"), as
 *     Maildir readers do;
 *   - cur/ is listed and sorted by delivery time (the leading number of the
 *     file name), then by name: that fixes message numbers for the session;
 *   - sizes come from the ",W=" field of the name when present, else they
 *     are computed with the library's streaming pop3_sizer - a little at a
 *     time, from the event loop, so a big maildrop does not stall other
 *     sessions (open_maildrop answers POP3_PENDING meanwhile).
 * The UIDL is the unique part of the name (before the ':' of the info);
 * when that is not a valid POP3 unique id (1-70 characters 0x21-0x7E) the
 * 32 hex digits of its MD5 are used instead.
 * QUIT: the deleted files are unlinked, then cur/ is fsync'd.
 *
 * Descriptors: an idle logged-in session holds none here (its socket is
 * its only descriptor).  The process holds two for all sessions: the mail
 * root and the lock file.  Messages are opened by path relative to the
 * mail root ("USER/cur/NAME") while they are sized or read; cur/ is opened
 * while the maildrop is opened and while it is committed.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#define _GNU_SOURCE             /* F_OFD_SETLK (Linux 3.15+, glibc 2.20+) */
#include "pop3d.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LOCK_FILE ".pop3d-locks"
#define READ_CHUNK (16u * 1024u)
/* "USER/cur/NAME": user names are at most 40 octets (user_name_ok). */
#define PATH_CAP (NAME_MAX + 64)

struct msg {
    uint32_t name;              /* offset of the file name in names */
    uint32_t flags;
    uint64_t size;
    uint64_t key;               /* leading number of the name: sort key */
};
#define M_SIZED 1u
#define M_GONE  2u

struct maildrop {
    struct maildrop *lock_next; /* in-process lock table chain */
    char *user;
    uint64_t lock_off;          /* the byte of the lock file: hash of user */
    int locked;                 /* in the table (and the byte is ours) */
    int curfd;                  /* cur/: only inside md_open and md_commit */

    struct msg *msgs;
    uint32_t count, cap;
    char *names;
    size_t nlen, ncap;
    uint64_t octets;

    /* sizing (md_size_step) */
    uint32_t size_i;
    int size_fd;
    pop3_sizer sizer;

    /* reading (md_read) */
    int rd_fd;
    uint32_t rd_msgno;
    unsigned char *rd_buf;

    char uid[33];
};

/* ------------------------------------------------------------------------
 * Maildrop locks
 *
 * Within this process: a table of the open maildrops, by user.  Across
 * processes: an exclusive fcntl byte-range lock (1 octet, F_WRLCK, never
 * waiting) on MAILROOT/.pop3d-locks, at an offset that is 62 bits of
 * SHA-256(user name).  The file is opened once per process and never
 * closed, so a session costs no descriptor for its lock.
 *
 * POSIX record locks belong to the process (F_SETLK) or, where the system
 * has them, to the open file description (F_OFD_SETLK, preferred; the two
 * kinds conflict with each other across processes, so pop3d builds with
 * and without OFD locks exclude each other).  Either way every session of
 * this process shares one owner: re-locking a byte this process holds
 * succeeds, which is why the in-process table decides first.  Two rules
 * follow from the classic semantics: the process must never close any
 * other descriptor of the lock file (that would drop all its locks: it
 * opens it exactly once), and the locks are per process, not per thread
 * (the crypt workers take none).  The kernel drops them all when the
 * process exits, however it exits - a crashed pop3d leaves no stale lock.
 *
 * Two user names with the same 62-bit offset (about 1 chance in 10^11 for
 * 10,000 users) would only make one refuse the other with [IN-USE] while
 * both are logged in from different processes; within one process the
 * table tracks offsets too, so an offset shared by two open maildrops is
 * unlocked only when the last of them closes.
 * ---------------------------------------------------------------------- */

static struct {
    char *root;                 /* the mail root md_init opened */
    int rootfd;                 /* MAILROOT, O_DIRECTORY */
    int lockfd;                 /* MAILROOT/.pop3d-locks: never closed */
    int ofd;                    /* 1: try F_OFD_SETLK first */
} P = {NULL, -1, -1, 1};

#define LOCK_BUCKETS 1024
static struct maildrop *locks[LOCK_BUCKETS];

static uint64_t lock_offset(const char *user)
{
    unsigned char d[32];
    uint64_t v = 0;
    /* off_t is 64 bits on every current system (and with
     * _FILE_OFFSET_BITS=64); keep l_start + l_len within it either way. */
    unsigned bits = sizeof(off_t) >= 8 ? 62 : 30;
    hash_buf(HASH_SHA256, user, strlen(user), d);
    for (int i = 0; i < 8; i++)
        v = v << 8 | d[i];
    return v >> (64 - bits);
}

static struct maildrop **lock_bucket(uint64_t off)
{
    return &locks[off % LOCK_BUCKETS];
}

int md_locked_here(const char *user)
{
    for (struct maildrop *m = *lock_bucket(lock_offset(user)); m; m = m->lock_next)
        if (strcmp(m->user, user) == 0)
            return 1;
    return 0;
}

/* Another open maildrop of this process on the same byte (a collision). */
static int offset_shared(const struct maildrop *self)
{
    for (const struct maildrop *m = *lock_bucket(self->lock_off); m; m = m->lock_next)
        if (m != self && m->lock_off == self->lock_off)
            return 1;
    return 0;
}

/* F_WRLCK or F_UNLCK on the byte at off, never waiting.  0, or -1 with
 * errno (EAGAIN or EACCES: another process holds it). */
static int byte_lock(short type, uint64_t off)
{
    struct flock fl;
    memset(&fl, 0, sizeof fl);          /* l_pid 0: required by OFD locks */
    fl.l_type = type;
    fl.l_whence = SEEK_SET;
    fl.l_start = (off_t)off;
    fl.l_len = 1;
#ifdef F_OFD_SETLK
    if (P.ofd) {
        if (fcntl(P.lockfd, F_OFD_SETLK, &fl) == 0)
            return 0;
        if (errno != EINVAL)
            return -1;
        P.ofd = 0;                      /* a kernel without OFD locks */
        memset(&fl, 0, sizeof fl);
        fl.l_type = type;
        fl.l_whence = SEEK_SET;
        fl.l_start = (off_t)off;
        fl.l_len = 1;
    }
#endif
    return fcntl(P.lockfd, F_SETLK, &fl);
}

int md_init(const char *root, char *why, size_t cap)
{
    struct stat st;
    if (P.root) {
        if (strcmp(P.root, root) == 0)
            return 0;
        snprintf(why, cap, "one mail root per process");
        return -1;
    }
    P.rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (P.rootfd < 0) {
        snprintf(why, cap, "%s", strerror(errno));
        return -1;
    }
    P.lockfd = openat(P.rootfd, LOCK_FILE,
                      O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (P.lockfd < 0) {
        snprintf(why, cap, "cannot open or create the lock file %s/" LOCK_FILE ": %s",
                 root, strerror(errno));
        goto fail;
    }
    if (fstat(P.lockfd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(why, cap, "%s/" LOCK_FILE ": not a regular file", root);
        goto fail;
    }
    if (!(P.root = strdup(root))) {
        snprintf(why, cap, "out of memory");
        goto fail;
    }
    return 0;
fail:
    if (P.lockfd >= 0)
        close(P.lockfd);
    close(P.rootfd);
    P.lockfd = P.rootfd = -1;
    return -1;
}

/* Lock m->user: the table, then the byte.  A pop3_result. */
static int lock_take(struct maildrop *m, char *why, size_t cap)
{
    struct maildrop **b;
    m->lock_off = lock_offset(m->user);
    b = lock_bucket(m->lock_off);
    for (struct maildrop *o = *b; o; o = o->lock_next)
        if (strcmp(o->user, m->user) == 0) {
            snprintf(why, cap, "maildrop in use by another session");
            return POP3_R_IN_USE;
        }
    if (byte_lock(F_WRLCK, m->lock_off) != 0) {
        if (errno == EAGAIN || errno == EACCES) {
            snprintf(why, cap, "maildrop locked by another process");
            return POP3_R_IN_USE;
        }
        snprintf(why, cap, "locking %s/" LOCK_FILE ": %s", P.root, strerror(errno));
        return POP3_R_TEMPFAIL;
    }
    m->lock_next = *b;
    *b = m;
    m->locked = 1;
    return POP3_R_OK;
}

static void lock_release(struct maildrop *m)
{
    struct maildrop **pp = lock_bucket(m->lock_off);
    if (!m->locked)
        return;
    for (; *pp; pp = &(*pp)->lock_next)
        if (*pp == m) {
            *pp = m->lock_next;
            break;
        }
    m->locked = 0;
    if (!offset_shared(m) && byte_lock(F_UNLCK, m->lock_off) != 0)
        log_error("%s: unlocking %s/" LOCK_FILE ": %s", m->user, P.root,
                  strerror(errno));
}

/* ------------------------------------------------------------------------
 * Helpers
 * ---------------------------------------------------------------------- */

static const char *name_of(const struct maildrop *m, uint32_t i)
{
    return m->names + m->msgs[i].name;
}

/* cur/ of the maildrop, opened by path from the mail root. */
static int open_cur(const struct maildrop *m)
{
    char path[PATH_CAP];
    snprintf(path, sizeof path, "%s/cur", m->user);
    return openat(P.rootfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

/* Message i (0-based), by path from the mail root: "USER/cur/NAME". */
static int open_msg(const struct maildrop *m, uint32_t i)
{
    char path[PATH_CAP];
    int n = snprintf(path, sizeof path, "%s/cur/%s", m->user, name_of(m, i));
    if (n < 0 || (size_t)n >= sizeof path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    return openat(P.rootfd, path, O_RDONLY | O_CLOEXEC);
}

/* Length of the unique part: up to the ':' that starts the info. */
static size_t unique_len(const char *name)
{
    const char *c = strchr(name, ':');
    return c ? (size_t)(c - name) : strlen(name);
}

static int add_name(struct maildrop *m, const char *name, uint32_t *off)
{
    size_t n = strlen(name) + 1;
    if (m->nlen + n > m->ncap) {
        size_t ncap = m->ncap ? m->ncap * 2 : 4096;
        char *p;
        while (ncap < m->nlen + n)
            ncap *= 2;
        if (ncap > UINT32_MAX)
            return -1;
        p = realloc(m->names, ncap);
        if (!p)
            return -1;
        m->names = p;
        m->ncap = ncap;
    }
    memcpy(m->names + m->nlen, name, n);
    *off = (uint32_t)m->nlen;
    m->nlen += n;
    return 0;
}

static int add_msg(struct maildrop *m, const char *name)
{
    struct msg *x;
    const char *p;
    size_t ul = unique_len(name);
    if (m->count == UINT32_MAX - 1)
        return -1;
    if (m->count == m->cap) {
        uint32_t ncap = m->cap ? m->cap * 2 : 64;
        struct msg *nm = realloc(m->msgs, (size_t)ncap * sizeof *nm);
        if (!nm)
            return -1;
        m->msgs = nm;
        m->cap = ncap;
    }
    x = &m->msgs[m->count];
    memset(x, 0, sizeof *x);
    if (add_name(m, name, &x->name) != 0)
        return -1;
    for (p = name; *p >= '0' && *p <= '9' && x->key < UINT64_MAX / 10 - 10; p++)
        x->key = x->key * 10 + (uint64_t)(*p - '0');
    /* ",W=<wire size>" in the unique part (Dovecot, Courier). */
    for (p = name; (p = strstr(p, ",W=")) != NULL && (size_t)(p - name) < ul; p += 3) {
        const char *d = p + 3;
        uint64_t v = 0;
        int digits = 0;
        while (*d >= '0' && *d <= '9' && v < UINT64_MAX / 10 - 10) {
            v = v * 10 + (uint64_t)(*d - '0');
            d++;
            digits++;
        }
        if (digits && (*d == ',' || *d == ':' || *d == '\0')) {
            x->size = v;
            x->flags |= M_SIZED;
            break;
        }
    }
    m->count++;
    return 0;
}

static const struct maildrop *sort_md;

static int cmp_msg(const void *a, const void *b)
{
    const struct msg *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return strcmp(sort_md->names + x->name, sort_md->names + y->name);
}

static int fsync_dir(int fd)
{
    return fsync(fd) == 0 || errno == EINVAL || errno == EROFS ? 0 : -1;
}

/* Move every message from new/ to cur/ (adding the ":2," info). */
static int move_new(struct maildrop *m, int dirfd, char *why, size_t cap)
{
    int newfd = openat(dirfd, "new", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d;
    struct dirent *e;
    int moved = 0, rc = 0;

    if (newfd < 0) {
        snprintf(why, cap, "new/: %s", strerror(errno));
        return -1;
    }
    d = fdopendir(newfd);
    if (!d) {
        snprintf(why, cap, "new/: %s", strerror(errno));
        close(newfd);
        return -1;
    }
    while ((e = readdir(d)) != NULL) {
        char target[NAME_MAX + 8];
        struct stat st;
        if (e->d_name[0] == '.')
            continue;
        if (strchr(e->d_name, ':'))
            snprintf(target, sizeof target, "%s", e->d_name);
        else
            snprintf(target, sizeof target, "%s:2,", e->d_name);
        /* Never clobber a message already in cur/. */
        if (fstatat(m->curfd, target, &st, AT_SYMLINK_NOFOLLOW) == 0)
            continue;
        if (renameat(newfd, e->d_name, m->curfd, target) != 0) {
            if (errno == ENOENT)        /* another reader took it */
                continue;
            snprintf(why, cap, "new/%s: %s", e->d_name, strerror(errno));
            rc = -1;
            break;
        }
        moved++;
    }
    if (moved && (fsync_dir(newfd) != 0 || fsync_dir(m->curfd) != 0)) {
        snprintf(why, cap, "fsync after moving new/ to cur/: %s", strerror(errno));
        rc = -1;
    }
    closedir(d);
    return rc;
}

static int list_cur(struct maildrop *m, char *why, size_t cap)
{
    int fd = dup(m->curfd);
    DIR *d;
    struct dirent *e;
    if (fd < 0 || !(d = fdopendir(fd))) {
        snprintf(why, cap, "cur/: %s", strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    rewinddir(d);
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
#ifdef DT_REG
        if (e->d_type != DT_REG && e->d_type != DT_UNKNOWN && e->d_type != DT_LNK)
            continue;
        if (e->d_type != DT_REG)
#endif
        {
            struct stat st;
            if (fstatat(m->curfd, e->d_name, &st, 0) != 0 || !S_ISREG(st.st_mode))
                continue;
        }
        if (add_msg(m, e->d_name) != 0) {
            snprintf(why, cap, "out of memory listing cur/");
            closedir(d);
            return -1;
        }
    }
    closedir(d);
    sort_md = m;
    if (m->count)
        qsort(m->msgs, m->count, sizeof *m->msgs, cmp_msg);
    sort_md = NULL;
    return 0;
}

/* The listing is kept for the whole session: give back what its arrays
 * over-allocated (the names start at 4 KiB, the messages at 64). */
static void shrink(struct maildrop *m)
{
    if (m->count && m->count < m->cap) {
        struct msg *p = realloc(m->msgs, (size_t)m->count * sizeof *p);
        if (p) {
            m->msgs = p;
            m->cap = m->count;
        }
    }
    if (m->nlen && m->nlen < m->ncap) {
        char *p = realloc(m->names, m->nlen);
        if (p) {
            m->names = p;
            m->ncap = m->nlen;
        }
    }
}

/* The message's file was renamed (another client changed its flags):
 * find it again by its unique part.  0 if found (names updated). */
static int relocate(struct maildrop *m, uint32_t i)
{
    const char *old = name_of(m, i);
    size_t ul = unique_len(old);
    char want[NAME_MAX + 1];
    int fd, rc = -1;
    DIR *d;
    struct dirent *e;

    if (ul >= sizeof want)
        return -1;
    memcpy(want, old, ul);
    want[ul] = '\0';
    fd = m->curfd >= 0 ? dup(m->curfd) : open_cur(m);
    if (fd < 0 || !(d = fdopendir(fd))) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    rewinddir(d);
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, want, ul) == 0 &&
            (e->d_name[ul] == ':' || e->d_name[ul] == '\0')) {
            uint32_t off;
            if (add_name(m, e->d_name, &off) == 0) {
                m->msgs[i].name = off;
                rc = 0;
            }
            break;
        }
    }
    closedir(d);
    return rc;
}

/* ------------------------------------------------------------------------
 * Open and close
 * ---------------------------------------------------------------------- */

void md_close(struct maildrop *m)
{
    if (!m)
        return;
    md_read_close(m);
    if (m->size_fd >= 0)
        close(m->size_fd);
    if (m->curfd >= 0)
        close(m->curfd);
    lock_release(m);
    free(m->msgs);
    free(m->names);
    free(m->user);
    free(m);
}

int md_open(struct maildrop **out, const char *root, const char *user,
            char *why, size_t cap)
{
    struct maildrop *m;
    int dirfd = -1, r;
    static const char *const sub[] = {"cur", "new", "tmp"};

    *out = NULL;
    if (!user_name_ok(user, strlen(user))) {
        snprintf(why, cap, "bad user name");
        return POP3_R_PERMFAIL;
    }
    if (md_init(root, why, cap) != 0)   /* done at start-up: a no-op */
        return POP3_R_TEMPFAIL;
    m = calloc(1, sizeof *m);
    if (!m || !(m->user = strdup(user))) {
        free(m);
        snprintf(why, cap, "out of memory");
        return POP3_R_TEMPFAIL;
    }
    m->curfd = m->size_fd = m->rd_fd = -1;

    /* Lock first: nothing of the Maildir is touched unlocked. */
    r = lock_take(m, why, cap);
    if (r != POP3_R_OK)
        goto fail;
    r = POP3_R_TEMPFAIL;
    dirfd = openat(P.rootfd, user, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirfd < 0 && errno == ENOENT) {
        /* First login: create the Maildir. */
        if (mkdirat(P.rootfd, user, 0700) != 0 && errno != EEXIST) {
            snprintf(why, cap, "creating %s/%s: %s", root, user, strerror(errno));
            goto fail;
        }
        dirfd = openat(P.rootfd, user, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    }
    if (dirfd < 0) {
        snprintf(why, cap, "%s/%s: %s", root, user, strerror(errno));
        goto fail;
    }
    for (size_t i = 0; i < 3; i++)
        if (mkdirat(dirfd, sub[i], 0700) != 0 && errno != EEXIST) {
            snprintf(why, cap, "%s/%s/%s: %s", root, user, sub[i], strerror(errno));
            goto fail;
        }
    m->curfd = openat(dirfd, "cur", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (m->curfd < 0) {
        snprintf(why, cap, "cur/: %s", strerror(errno));
        goto fail;
    }
    if (move_new(m, dirfd, why, cap) != 0 || list_cur(m, why, cap) != 0)
        goto fail;
    shrink(m);
    /* The session keeps no descriptor: messages are opened by path. */
    close(dirfd);
    close(m->curfd);
    m->curfd = -1;
    *out = m;
    return POP3_R_OK;
fail:
    if (dirfd >= 0)
        close(dirfd);
    md_close(m);
    return r;
}

/* ------------------------------------------------------------------------
 * Sizes
 * ---------------------------------------------------------------------- */

int md_size_step(struct maildrop *m, size_t budget, char *why, size_t cap)
{
    static unsigned char buf[64 * 1024];
    size_t spent = 0;

    while (m->size_i < m->count) {
        struct msg *x = &m->msgs[m->size_i];
        ssize_t n;
        if (x->flags & M_SIZED) {
            m->size_i++;
            continue;
        }
        if (spent >= budget)
            return 0;
        if (m->size_fd < 0) {
            m->size_fd = open_msg(m, m->size_i);
            if (m->size_fd < 0) {
                if (errno == ENOENT) {  /* expunged meanwhile: leave it out */
                    x->flags |= M_GONE | M_SIZED;
                    m->size_i++;
                    continue;
                }
                snprintf(why, cap, "%s: %s", name_of(m, m->size_i), strerror(errno));
                return -1;
            }
            pop3_sizer_init(&m->sizer);
        }
        n = read(m->size_fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            snprintf(why, cap, "%s: %s", name_of(m, m->size_i), strerror(errno));
            return -1;
        }
        if (n > 0) {
            pop3_sizer_update(&m->sizer, buf, (size_t)n);
            spent += (size_t)n;
            continue;
        }
        x->size = pop3_sizer_final(&m->sizer);
        x->flags |= M_SIZED;
        close(m->size_fd);
        m->size_fd = -1;
        m->size_i++;
    }
    /* Done: drop what vanished, add up. */
    {
        uint32_t j = 0;
        m->octets = 0;
        for (uint32_t i = 0; i < m->count; i++) {
            if (m->msgs[i].flags & M_GONE)
                continue;
            m->msgs[j++] = m->msgs[i];
            m->octets += m->msgs[i].size;
        }
        m->count = j;
    }
    return 1;
}

void md_summary(const struct maildrop *m, uint32_t *count, uint64_t *octets)
{
    *count = m->count;
    *octets = m->octets;
}

/* ------------------------------------------------------------------------
 * Callback bodies
 * ---------------------------------------------------------------------- */

static int uid_ok(const char *u, size_t n)
{
    if (n == 0 || n > 70)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)u[i] < 0x21 || (unsigned char)u[i] > 0x7E)
            return 0;
    return 1;
}

int md_info(struct maildrop *m, uint32_t msgno, pop3_msg_info *ans)
{
    const char *name;
    size_t ul;
    if (msgno == 0 || msgno > m->count) {
        ans->result = POP3_R_NO_MESSAGE;
        return POP3_ANSWERED;
    }
    name = name_of(m, msgno - 1);
    ul = unique_len(name);
    ans->result = POP3_R_OK;
    ans->size = m->msgs[msgno - 1].size;
    if (uid_ok(name, ul)) {
        ans->uid = name;
        ans->uid_len = ul;
    } else {
        /* A stable, valid id: MD5 of the unique part, in hex (the APOP
         * helper is exactly MD5(a || b) as hex). */
        char tmp[NAME_MAX + 1];
        memcpy(tmp, name, ul < NAME_MAX ? ul : NAME_MAX);
        tmp[ul < NAME_MAX ? ul : NAME_MAX] = '\0';
        pop3_apop_digest(tmp, "", 0, m->uid);
        ans->uid = m->uid;
        ans->uid_len = 32;
    }
    return POP3_ANSWERED;
}

void md_read_close(struct maildrop *m)
{
    if (m->rd_fd >= 0) {
        close(m->rd_fd);
        m->rd_fd = -1;
    }
    free(m->rd_buf);
    m->rd_buf = NULL;
    m->rd_msgno = 0;
}

int md_read(struct maildrop *m, const pop3_read_request *rq, pop3_chunk *ans)
{
    ssize_t n;
    uint32_t i = rq->msgno - 1;

    if (rq->msgno == 0 || rq->msgno > m->count) {
        ans->result = POP3_R_NO_MESSAGE;
        return POP3_ANSWERED;
    }
    if (m->rd_fd < 0 || m->rd_msgno != rq->msgno) {
        md_read_close(m);
        m->rd_fd = open_msg(m, i);
        if (m->rd_fd < 0 && errno == ENOENT && relocate(m, i) == 0)
            m->rd_fd = open_msg(m, i);
        if (m->rd_fd < 0) {
            int e = errno;
            if (e != ENOENT)
                log_error("%s: cur/%s: %s", m->user, name_of(m, i), strerror(e));
            ans->result = e == ENOENT && rq->offset == 0 ? POP3_R_NO_MESSAGE
                                                         : POP3_R_TEMPFAIL;
            return POP3_ANSWERED;
        }
        m->rd_msgno = rq->msgno;
    }
    if (!m->rd_buf && !(m->rd_buf = malloc(READ_CHUNK))) {
        ans->result = POP3_R_TEMPFAIL;
        return POP3_ANSWERED;
    }
    do {
        n = pread(m->rd_fd, m->rd_buf, READ_CHUNK, (off_t)rq->offset);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        log_error("%s: reading cur/%s: %s", m->user, name_of(m, i), strerror(errno));
        ans->result = POP3_R_TEMPFAIL;
        return POP3_ANSWERED;
    }
    ans->result = POP3_R_OK;
    ans->data = m->rd_buf;      /* stays put until the next read or close */
    ans->len = (size_t)n;       /* 0: end of message */
    return POP3_ANSWERED;
}

static int commit_in_cur(struct maildrop *m, pop3_session *s, uint32_t *deleted,
                         char *why, size_t cap)
{
    uint32_t done = 0, failed = 0;
    int first_errno = 0;
    const char *first_name = NULL;

    for (uint32_t n = pop3_session_next_deleted(s, 0); n;
         n = pop3_session_next_deleted(s, n)) {
        uint32_t i = n - 1;
        if (n > m->count)
            continue;
        if (unlinkat(m->curfd, name_of(m, i), 0) == 0) {
            done++;
            continue;
        }
        if (errno == ENOENT) {
            if (relocate(m, i) != 0)
                continue;               /* already gone: that is fine */
            if (unlinkat(m->curfd, name_of(m, i), 0) == 0 || errno == ENOENT) {
                done++;
                continue;
            }
        }
        if (!failed) {
            first_errno = errno;
            first_name = name_of(m, i);
        }
        failed++;
    }
    *deleted = done;
    if (failed) {
        snprintf(why, cap, "%u of %u deletions failed (first: cur/%s: %s)",
                 (unsigned)failed, (unsigned)(failed + done), first_name,
                 strerror(first_errno));
        if (done)
            fsync_dir(m->curfd);
        return POP3_R_TEMPFAIL;
    }
    if (done && fsync_dir(m->curfd) != 0) {
        snprintf(why, cap, "fsync cur/: %s", strerror(errno));
        return POP3_R_TEMPFAIL;
    }
    return POP3_R_OK;
}

int md_commit(struct maildrop *m, pop3_session *s, uint32_t *deleted,
              char *why, size_t cap)
{
    int r;
    *deleted = 0;
    if (!pop3_session_next_deleted(s, 0))
        return POP3_R_OK;               /* nothing to delete, nothing to sync */
    m->curfd = open_cur(m);
    if (m->curfd < 0) {
        snprintf(why, cap, "cur/: %s", strerror(errno));
        return POP3_R_TEMPFAIL;
    }
    r = commit_in_cur(m, s, deleted, why, cap);
    close(m->curfd);
    m->curfd = -1;
    return r;
}
