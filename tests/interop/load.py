#!/usr/bin/env python3
"""Hold many concurrent sessions on a pop3d and measure its memory.

    load.py --port P --pid PID [-n 2000] [--login] [--retr] [--tls CERT]

Opens n connections (all at once), waits for every greeting, optionally logs
each in as userI/pwI (one maildrop per session: give pop3d a users file
with those users) and retrieves message 1 on each; then reads pop3d's RSS
from /proc/PID/status, quits every session and reports.  Not part of
make check: see docs/pop3d.md for the numbers it gave.
"""
import argparse
import asyncio
import ssl
import time


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


async def session(i, a, ready, go, stats):
    ctx = None
    if a.tls:
        ctx = ssl.create_default_context(cafile=a.tls)
    r, w = await asyncio.wait_for(
        asyncio.open_connection("127.0.0.1", a.port, ssl=ctx,
                                server_hostname="localhost" if ctx else None), 60)
    line = await asyncio.wait_for(r.readline(), 60)
    assert line.startswith(b"+OK"), line
    if a.login:
        w.write(b"USER user%d\r\nPASS pw%d\r\n" % (i, i))
        await r.readline()
        line = await asyncio.wait_for(r.readline(), 60)
        assert line.startswith(b"+OK"), line
        if a.retr:
            w.write(b"RETR 1\r\n")
            line = await r.readline()
            if line.startswith(b"+OK"):
                while (await r.readline()) != b".\r\n":
                    pass
    stats["up"] += 1
    ready.set() if stats["up"] == a.n else None
    await go.wait()
    w.write(b"QUIT\r\n")
    await w.drain()
    line = await asyncio.wait_for(r.readline(), 60)
    if line.startswith(b"+OK"):
        stats["bye"] += 1
    w.close()


async def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("-n", type=int, default=2000)
    p.add_argument("--login", action="store_true")
    p.add_argument("--retr", action="store_true")
    p.add_argument("--tls")
    a = p.parse_args()
    base = rss_kib(a.pid)
    ready, go = asyncio.Event(), asyncio.Event()
    stats = {"up": 0, "bye": 0}
    t0 = time.time()
    tasks = [asyncio.ensure_future(session(i, a, ready, go, stats)) for i in range(a.n)]
    done, _ = await asyncio.wait([asyncio.ensure_future(ready.wait())] + tasks,
                                 return_when=asyncio.FIRST_COMPLETED, timeout=120)
    for t in tasks:
        if t.done() and t.exception():
            print("session failed:", t.exception())
            break
    t1 = time.time()
    held = rss_kib(a.pid)
    print("sessions held: %d of %d in %.2f s" % (stats["up"], a.n, t1 - t0))
    print("pop3d RSS: %d KiB idle, %d KiB with the sessions: %.1f KiB per session"
          % (base, held, (held - base) / max(stats["up"], 1)))
    go.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    print("QUIT answered: %d; RSS after: %d KiB; %.2f s in all"
          % (stats["bye"], rss_kib(a.pid), time.time() - t0))


asyncio.run(main())
