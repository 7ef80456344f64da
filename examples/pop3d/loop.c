/*
 * loop.c - readiness notification (epoll on Linux, poll(2) elsewhere or on
 * request) and a binary min-heap of deadlines.
 *
 * Level-triggered: a descriptor is registered only while its owner wants
 * something from it, so a peer that hangs up while its session waits for
 * the backend does not make the loop spin.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include "pop3d.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__linux__)
#  include <sys/epoll.h>
#  define HAVE_EPOLL 1
#else
#  define HAVE_EPOLL 0
#endif

static int use_epoll;
#if HAVE_EPOLL
static int epfd = -1;
#endif

/* poll backend: parallel arrays */
static struct pollfd *pfds;
static struct reg **pregs;
static size_t pcount, pcap;

int loop_init(int prefer_epoll)
{
#if HAVE_EPOLL
    if (prefer_epoll) {
        epfd = epoll_create1(EPOLL_CLOEXEC);
        if (epfd < 0)
            return -1;
        use_epoll = 1;
        return 0;
    }
#else
    (void)prefer_epoll;
#endif
    use_epoll = 0;
    return 0;
}

const char *loop_backend(void)
{
    return use_epoll ? "epoll" : "poll";
}

void reg_init(struct reg *r, int fd, void *ptr)
{
    r->fd = fd;
    r->events = 0;
    r->slot = 0;
    r->ptr = ptr;
}

static short to_poll(unsigned ev)
{
    return (short)(((ev & EV_IN) ? POLLIN : 0) | ((ev & EV_OUT) ? POLLOUT : 0));
}

int reg_set(struct reg *r, unsigned events)
{
    events &= EV_IN | EV_OUT;
    if (events == r->events)
        return 0;
#if HAVE_EPOLL
    if (use_epoll) {
        struct epoll_event e;
        int op;
        memset(&e, 0, sizeof e);
        e.events = ((events & EV_IN) ? EPOLLIN : 0u) |
                   ((events & EV_OUT) ? EPOLLOUT : 0u);
        e.data.ptr = r->ptr;
        op = !events ? EPOLL_CTL_DEL : r->events ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
        if (epoll_ctl(epfd, op, r->fd, &e) != 0 &&
            !(op == EPOLL_CTL_DEL && (errno == EBADF || errno == ENOENT)))
            return -1;
        r->events = events;
        return 0;
    }
#endif
    if (!events) {                      /* remove: move the last one here */
        size_t i = r->slot;
        pcount--;
        if (i != pcount) {
            pfds[i] = pfds[pcount];
            pregs[i] = pregs[pcount];
            pregs[i]->slot = i;
        }
        r->events = 0;
        return 0;
    }
    if (!r->events) {                   /* add */
        if (pcount == pcap) {
            size_t ncap = pcap ? pcap * 2 : 64;
            struct pollfd *np = realloc(pfds, ncap * sizeof *np);
            struct reg **nr;
            if (!np)
                return -1;
            pfds = np;
            nr = realloc(pregs, ncap * sizeof *nr);
            if (!nr)
                return -1;
            pregs = nr;
            pcap = ncap;
        }
        r->slot = pcount++;
        pfds[r->slot].fd = r->fd;
        pregs[r->slot] = r;
    }
    pfds[r->slot].events = to_poll(events);
    pfds[r->slot].revents = 0;
    r->events = events;
    return 0;
}

int loop_wait(struct loop_event *ev, int max, int timeout_ms)
{
#if HAVE_EPOLL
    if (use_epoll) {
        struct epoll_event e[256];
        int n;
        if (max > 256)
            max = 256;
        n = epoll_wait(epfd, e, max, timeout_ms);
        if (n < 0)
            return errno == EINTR ? 0 : -1;
        for (int i = 0; i < n; i++) {
            unsigned x = 0;
            if (e[i].events & EPOLLIN)
                x |= EV_IN;
            if (e[i].events & EPOLLOUT)
                x |= EV_OUT;
            if (e[i].events & (EPOLLERR | EPOLLHUP))
                x |= EV_ERR | EV_IN;
            ev[i].ptr = e[i].data.ptr;
            ev[i].events = x;
        }
        return n;
    }
#endif
    {
        int n, k = 0;
        n = poll(pfds, (nfds_t)pcount, timeout_ms);
        if (n < 0)
            return errno == EINTR ? 0 : -1;
        for (size_t i = 0; i < pcount && k < max && n > 0; i++) {
            unsigned x = 0;
            short re = pfds[i].revents;
            if (!re)
                continue;
            n--;
            if (re & POLLIN)
                x |= EV_IN;
            if (re & POLLOUT)
                x |= EV_OUT;
            if (re & (POLLERR | POLLHUP | POLLNVAL))
                x |= EV_ERR | EV_IN;
            ev[k].ptr = pregs[i]->ptr;
            ev[k].events = x;
            k++;
        }
        return k;
    }
}

/* ------------------------------------------------------------------------
 * Timers: a binary heap of struct timer pointers, ordered by .at.
 * ---------------------------------------------------------------------- */

static struct timer **heap;
static size_t hcount, hcap;

static void hswap(size_t a, size_t b)
{
    struct timer *t = heap[a];
    heap[a] = heap[b];
    heap[b] = t;
    heap[a]->idx = a + 1;
    heap[b]->idx = b + 1;
}

static void sift_up(size_t i)
{
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (heap[p]->at <= heap[i]->at)
            break;
        hswap(p, i);
        i = p;
    }
}

static void sift_down(size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < hcount && heap[l]->at < heap[m]->at)
            m = l;
        if (r < hcount && heap[r]->at < heap[m]->at)
            m = r;
        if (m == i)
            break;
        hswap(i, m);
        i = m;
    }
}

void timer_clear(struct timer *t)
{
    size_t i;
    if (!t->idx)
        return;
    i = t->idx - 1;
    t->idx = 0;
    hcount--;
    if (i != hcount) {
        heap[i] = heap[hcount];
        heap[i]->idx = i + 1;
        sift_down(i);
        sift_up(i);
    }
}

void timer_set(struct timer *t, uint64_t at)
{
    if (t->idx) {
        size_t i = t->idx - 1;
        uint64_t old = t->at;
        t->at = at;
        if (at < old)
            sift_up(i);
        else if (at > old)
            sift_down(i);
        return;
    }
    if (hcount == hcap) {
        size_t ncap = hcap ? hcap * 2 : 64;
        struct timer **nh = realloc(heap, ncap * sizeof *nh);
        if (!nh)
            die("out of memory (timers)");
        heap = nh;
        hcap = ncap;
    }
    t->at = at;
    heap[hcount] = t;
    t->idx = ++hcount;
    sift_up(hcount - 1);
}

struct timer *timer_first(void)
{
    return hcount ? heap[0] : NULL;
}

void loop_free(void)
{
#if HAVE_EPOLL
    if (epfd >= 0)
        close(epfd);
    epfd = -1;
#endif
    free(pfds);
    free(pregs);
    free(heap);
    pfds = NULL;
    pregs = NULL;
    heap = NULL;
    pcount = pcap = hcount = hcap = 0;
}
