/*
 * maildir.c - the Maildir backend.
 *
 * MAILROOT/USER is the user's Maildir (cur/, new/, tmp/).  At login:
 *   - the maildrop is locked: an in-process table, and flock(2) on
 *     MAILROOT/USER/.pop3d.lock so that other pop3d processes (--stdio under
 *     inetd runs one per connection) see the lock too;
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
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include "pop3d.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define LOCK_NAME ".pop3d.lock"
#define READ_CHUNK (16u * 1024u)

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
    int dirfd, curfd, lockfd;

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
 * In-process lock table
 * ---------------------------------------------------------------------- */

#define LOCK_BUCKETS 1024
static struct maildrop *locks[LOCK_BUCKETS];

static size_t lock_hash(const char *s)
{
    size_t h = 5381;
    while (*s)
        h = h * 33 + (unsigned char)*s++;
    return h % LOCK_BUCKETS;
}

int md_locked_here(const char *user)
{
    for (struct maildrop *m = locks[lock_hash(user)]; m; m = m->lock_next)
        if (strcmp(m->user, user) == 0)
            return 1;
    return 0;
}

static void lock_add(struct maildrop *m)
{
    size_t h = lock_hash(m->user);
    m->lock_next = locks[h];
    locks[h] = m;
}

static void lock_remove(struct maildrop *m)
{
    struct maildrop **pp = &locks[lock_hash(m->user)];
    for (; *pp; pp = &(*pp)->lock_next)
        if (*pp == m) {
            *pp = m->lock_next;
            return;
        }
}

/* ------------------------------------------------------------------------
 * Helpers
 * ---------------------------------------------------------------------- */

static const char *name_of(const struct maildrop *m, uint32_t i)
{
    return m->names + m->msgs[i].name;
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
static int move_new(struct maildrop *m, char *why, size_t cap)
{
    int newfd = openat(m->dirfd, "new", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
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
    fd = dup(m->curfd);
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
    if (m->dirfd >= 0)
        close(m->dirfd);
    if (m->lockfd >= 0) {
        lock_remove(m);
        close(m->lockfd);               /* releases the flock */
    }
    free(m->msgs);
    free(m->names);
    free(m->user);
    free(m);
}

int md_open(struct maildrop **out, const char *root, const char *user,
            char *why, size_t cap)
{
    struct maildrop *m;
    int rootfd, r = POP3_R_TEMPFAIL;
    static const char *const sub[] = {"cur", "new", "tmp"};

    *out = NULL;
    if (!user_name_ok(user, strlen(user))) {
        snprintf(why, cap, "bad user name");
        return POP3_R_PERMFAIL;
    }
    if (md_locked_here(user)) {
        snprintf(why, cap, "maildrop in use by another session");
        return POP3_R_IN_USE;
    }
    m = calloc(1, sizeof *m);
    if (!m || !(m->user = strdup(user))) {
        free(m);
        snprintf(why, cap, "out of memory");
        return POP3_R_TEMPFAIL;
    }
    m->dirfd = m->curfd = m->lockfd = m->size_fd = m->rd_fd = -1;

    rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (rootfd < 0) {
        snprintf(why, cap, "mail root %s: %s", root, strerror(errno));
        goto fail;
    }
    m->dirfd = openat(rootfd, user, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (m->dirfd < 0 && errno == ENOENT) {
        /* First login: create the Maildir. */
        if (mkdirat(rootfd, user, 0700) != 0 && errno != EEXIST) {
            snprintf(why, cap, "creating %s/%s: %s", root, user, strerror(errno));
            close(rootfd);
            goto fail;
        }
        m->dirfd = openat(rootfd, user, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    }
    if (m->dirfd < 0) {
        snprintf(why, cap, "%s/%s: %s", root, user, strerror(errno));
        close(rootfd);
        goto fail;
    }
    close(rootfd);
    for (size_t i = 0; i < 3; i++)
        if (mkdirat(m->dirfd, sub[i], 0700) != 0 && errno != EEXIST) {
            snprintf(why, cap, "%s/%s/%s: %s", root, user, sub[i], strerror(errno));
            goto fail;
        }

    m->lockfd = openat(m->dirfd, LOCK_NAME,
                       O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (m->lockfd < 0) {
        snprintf(why, cap, "%s/%s/" LOCK_NAME ": %s", root, user, strerror(errno));
        goto fail;
    }
    if (flock(m->lockfd, LOCK_EX | LOCK_NB) != 0) {
        if (errno == EWOULDBLOCK || errno == EAGAIN) {
            snprintf(why, cap, "maildrop locked by another process");
            r = POP3_R_IN_USE;
        } else {
            snprintf(why, cap, "flock %s/%s/" LOCK_NAME ": %s", root, user,
                     strerror(errno));
        }
        close(m->lockfd);
        m->lockfd = -1;
        goto fail;
    }
    lock_add(m);

    m->curfd = openat(m->dirfd, "cur", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (m->curfd < 0) {
        snprintf(why, cap, "cur/: %s", strerror(errno));
        goto fail;
    }
    if (move_new(m, why, cap) != 0 || list_cur(m, why, cap) != 0)
        goto fail;
    close(m->dirfd);                    /* cur/ and the lock are enough */
    m->dirfd = -1;
    *out = m;
    return POP3_R_OK;
fail:
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
            m->size_fd = openat(m->curfd, name_of(m, m->size_i),
                                O_RDONLY | O_CLOEXEC);
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
        m->rd_fd = openat(m->curfd, name_of(m, i), O_RDONLY | O_CLOEXEC);
        if (m->rd_fd < 0 && errno == ENOENT && relocate(m, i) == 0)
            m->rd_fd = openat(m->curfd, name_of(m, i), O_RDONLY | O_CLOEXEC);
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

int md_commit(struct maildrop *m, pop3_session *s, uint32_t *deleted,
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
