#!/usr/bin/env python3
"""plot.py - draw the SVG plots of docs/performance.md (Python stdlib only).

    python3 docs/plots/plot.py [DIR]

Reads DIR/bench.tsv (BENCH_TSV lines of bench_codec and bench_session:
"program<TAB>key<TAB>x<TAB>value"), DIR/compare.tsv ("load<TAB>metric<TAB>
pop3d<TAB>dovecot", written by tests/bench/compare.sh with BENCH_SAVE=1)
and DIR/memory.tsv ("sessions<TAB>pop3d kB<TAB>dovecot kB" per idle
session), and writes DIR/*.svg.  `make bench-plots` re-measures and runs
this.  Missing inputs only skip their plots.
"""
import math
import os
import sys

W, H = 640, 400
ML, MR, MT, MB = 78, 170, 40, 58
COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"]


def esc(s):
    return (str(s).replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;"))


def fmt(v):
    if v == 0:
        return "0"
    a = abs(v)
    if a >= 1e9:
        return "%gG" % (v / 1e9)
    if a >= 1e6:
        return "%gM" % (v / 1e6)
    if a >= 1e3:
        return "%gk" % (v / 1e3)
    if a >= 1:
        return "%g" % v
    return "%.2g" % v


def nice_ticks(lo, hi, n=5):
    if hi <= lo:
        hi = lo + 1
    step = 10 ** math.floor(math.log10((hi - lo) / n))
    for m in (1, 2, 5, 10):
        if (hi - lo) / (step * m) <= n:
            step *= m
            break
    t = math.floor(lo / step) * step
    out = []
    while t <= hi + step * 1e-9:
        out.append(round(t, 12))
        t += step
    return out


class Chart:
    def __init__(self, title, xlabel, ylabel, logx=False, logy=False):
        self.title, self.xlabel, self.ylabel = title, xlabel, ylabel
        self.logx, self.logy = logx, logy
        self.series = []
        self.note = None

    def add(self, name, points, dashed=False):
        pts = [(x, y) for x, y in points if y is not None]
        if pts:
            self.series.append((name, sorted(pts), dashed))

    def svg(self):
        xs = [x for _, p, _ in self.series for x, _ in p]
        ys = [y for _, p, _ in self.series for _, y in p]
        tx = lambda v: math.log10(v) if self.logx else v
        ty = lambda v: math.log10(v) if self.logy else v
        x0, x1 = min(map(tx, xs)), max(map(tx, xs))
        if self.logy:
            y0, y1 = math.floor(min(map(ty, ys))), math.ceil(max(map(ty, ys)))
        else:
            y0, y1 = 0.0, max(ys) * 1.1
        if x1 == x0:
            x1 = x0 + 1
        if y1 == y0:
            y1 = y0 + 1
        pw, ph = W - ML - MR, H - MT - MB
        px = lambda v: ML + (tx(v) - x0) / (x1 - x0) * pw
        py = lambda v: MT + ph - (ty(v) - y0) / (y1 - y0) * ph
        o = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
             'viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">'
             % (W, H, W, H),
             '<rect width="100%" height="100%" fill="white"/>',
             '<text x="%d" y="22" font-size="14" font-weight="bold">%s</text>'
             % (ML, esc(self.title))]
        # axes and ticks
        if self.logx:
            xt = [10 ** e for e in range(math.floor(x0), math.ceil(x1) + 1)
                  if x0 - 1e-9 <= e <= x1 + 1e-9]
        else:
            xt = nice_ticks(x0, x1)
        for v in xt:
            X = px(v)
            o.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#ddd"/>'
                     % (X, MT, X, MT + ph))
            o.append('<text x="%.1f" y="%d" text-anchor="middle">%s</text>'
                     % (X, MT + ph + 16, fmt(v)))
        if self.logy:
            yt = [10 ** e for e in range(int(y0), int(y1) + 1)]
        else:
            yt = [v for v in nice_ticks(0, y1) if v <= y1]
        for v in yt:
            Y = py(v)
            o.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ddd"/>'
                     % (ML, Y, ML + pw, Y))
            o.append('<text x="%d" y="%.1f" text-anchor="end">%s</text>'
                     % (ML - 6, Y + 4, fmt(v)))
        o.append('<rect x="%d" y="%d" width="%d" height="%d" fill="none" '
                 'stroke="#333"/>' % (ML, MT, pw, ph))
        o.append('<text x="%d" y="%d" text-anchor="middle">%s</text>'
                 % (ML + pw / 2, H - 14, esc(self.xlabel)))
        o.append('<text transform="translate(16,%d) rotate(-90)" '
                 'text-anchor="middle">%s</text>' % (MT + ph / 2, esc(self.ylabel)))
        for i, (name, pts, dashed) in enumerate(self.series):
            c = COLORS[i % len(COLORS)]
            d = " ".join("%s%.1f,%.1f" % ("M" if k == 0 else "L", px(x), py(y))
                         for k, (x, y) in enumerate(pts))
            o.append('<path d="%s" fill="none" stroke="%s" stroke-width="2"%s/>'
                     % (d, c, ' stroke-dasharray="6,4"' if dashed else ""))
            for x, y in pts:
                o.append('<circle cx="%.1f" cy="%.1f" r="3" fill="%s"/>'
                         % (px(x), py(y), c))
            ly = MT + 10 + i * 18
            o.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" '
                     'stroke-width="2"%s/>' % (W - MR + 10, ly, W - MR + 30, ly, c,
                                               ' stroke-dasharray="6,4"' if dashed else ""))
            o.append('<text x="%d" y="%d">%s</text>' % (W - MR + 35, ly + 4, esc(name)))
        if self.note:
            o.append('<text x="%d" y="%d" font-size="10" fill="#555">%s</text>'
                     % (ML, MT - 6, esc(self.note)))
        o.append("</svg>")
        return "\n".join(o) + "\n"


def bars(title, ylabel, groups, names, values, logy=False):
    """groups: labels on x; values[g][s] for series s (names)."""
    pw, ph = W - ML - MR, H - MT - MB
    vmax = max(v for row in values for v in row if v) or 1
    if logy:
        lo = 10 ** math.floor(math.log10(min(v for row in values for v in row if v)))
        hi = 10 ** math.ceil(math.log10(vmax))
        py = lambda v: MT + ph - (math.log10(v) - math.log10(lo)) / (math.log10(hi) - math.log10(lo)) * ph
        ticks = [10 ** e for e in range(int(math.log10(lo)), int(math.log10(hi)) + 1)]
        base = lo
    else:
        hi = vmax * 1.1
        py = lambda v: MT + ph - v / hi * ph
        ticks = [t for t in nice_ticks(0, hi) if t <= hi]
        base = 0
    o = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
         'viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">' % (W, H, W, H),
         '<rect width="100%" height="100%" fill="white"/>',
         '<text x="%d" y="22" font-size="14" font-weight="bold">%s</text>' % (ML, esc(title))]
    for t in ticks:
        Y = py(t) if t > 0 or not logy else None
        if Y is None:
            continue
        o.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ddd"/>' % (ML, Y, ML + pw, Y))
        o.append('<text x="%d" y="%.1f" text-anchor="end">%s</text>' % (ML - 6, Y + 4, fmt(t)))
    gw = pw / len(groups)
    bw = gw * 0.8 / len(names)
    for g, label in enumerate(groups):
        for s in range(len(names)):
            v = values[g][s]
            if not v:
                continue
            X = ML + g * gw + gw * 0.1 + s * bw
            Y = py(v)
            o.append('<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"/>'
                     % (X, Y, bw - 2, py(base) - Y, COLORS[s % len(COLORS)]))
            o.append('<text x="%.1f" y="%.1f" text-anchor="middle" font-size="10">%s</text>'
                     % (X + bw / 2 - 1, Y - 3, fmt(round(v, 1))))
        o.append('<text x="%.1f" y="%d" text-anchor="middle">%s</text>'
                 % (ML + g * gw + gw / 2, MT + ph + 16, esc(label)))
    o.append('<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#333"/>'
             % (ML, MT, pw, ph))
    o.append('<text transform="translate(16,%d) rotate(-90)" text-anchor="middle">%s</text>'
             % (MT + ph / 2, esc(ylabel)))
    for s, name in enumerate(names):
        ly = MT + 10 + s * 18
        o.append('<rect x="%d" y="%d" width="20" height="10" fill="%s"/>'
                 % (W - MR + 10, ly - 5, COLORS[s % len(COLORS)]))
        o.append('<text x="%d" y="%d">%s</text>' % (W - MR + 35, ly + 4, esc(name)))
    o.append("</svg>")
    return "\n".join(o) + "\n"


def read_tsv(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [l.rstrip("\n").split("\t") for l in f if l.strip() and not l.startswith("#")]


def num(s):
    try:
        return float(s)
    except (TypeError, ValueError):
        return None


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    wrote = []

    def save(name, text):
        with open(os.path.join(d, name), "w") as f:
            f.write(text)
        wrote.append(name)

    bench = read_tsv(os.path.join(d, "bench.tsv"))
    series = {}
    for row in bench:
        if len(row) == 4:
            series.setdefault(row[1], []).append((float(row[2]), float(row[3])))

    if "sweep_encode_gbps_crlf" in series:
        c = Chart("Body encoder throughput against message size",
                  "message size (octets)", "GB/s", logx=True)
        c.add("encoder, CRLF-stored", series["sweep_encode_gbps_crlf"])
        c.add("encoder, LF-stored", series.get("sweep_encode_gbps_lf", []))
        c.add("memcpy (same bytes)", series.get("sweep_memcpy_gbps_crlf", []), dashed=True)
        c.note = "text mail, ~70-octet lines; medians of 7 runs (make bench-plots)"
        save("encoder-throughput.svg", c.svg())

    if "list_ns_per_msg" in series:
        c = Chart("LIST / UIDL of a whole maildrop: time per message",
                  "messages in the maildrop", "ns per message", logx=True)
        c.add("LIST", series["list_ns_per_msg"])
        c.add("UIDL", series.get("uidl_ns_per_msg", []))
        c.note = "flat lines = linear growth; engine only, in-memory backend"
        save("listing-scaling.svg", c.svg())

    if "alloc_bytes_per_session" in series:
        pts = [(x if x > 0 else 0.5, y) for x, y in series["alloc_bytes_per_session"]]
        c = Chart("Bytes a session allocates over its lifetime",
                  "messages in the maildrop (0 shown at 0.5)", "octets", logx=True, logy=True)
        c.add("pop3_session_new + mark set", pts)
        c.note = "session block (default config) + one bit per message"
        save("session-alloc.svg", c.svg())

    comp = read_tsv(os.path.join(d, "compare.tsv"))
    cv = {}
    for row in comp:
        if len(row) >= 4:
            cv[(row[0], row[1])] = (num(row[2]), num(row[3]))
    loads = [("full8", "messages_per_s", "8 clients"), ("full32", "messages_per_s", "32 clients"),
             ("pipe8", "messages_per_s", "8, pipelined")]
    if all((l, m) in cv for l, m, _ in loads):
        save("compare-messages.svg",
             bars("Messages retrieved per second (RETR, loopback)", "messages/s",
                  [n for _, _, n in loads], ["pop3d", "Dovecot"],
                  [list(cv[(l, m)]) for l, m, _ in loads]))
    if ("login32", "sessions_per_s") in cv:
        save("compare-logins.svg",
             bars("Logins per second (USER, PASS, QUIT; 32 clients)", "logins/s (log)",
                  ["logins/s"], ["pop3d", "Dovecot"], [list(cv[("login32", "sessions_per_s")])],
                  logy=True))
    sizes = [("size-s1k", 1024), ("size-s10k", 10240), ("size-s100k", 102400),
             ("size-s1m", 1048576)]
    if all((l, "mb_per_s") in cv for l, _ in sizes):
        c = Chart("Server throughput against message size (8 clients)",
                  "message size (octets)", "MB/s received by the clients", logx=True)
        c.add("pop3d", [(s, cv[(l, "mb_per_s")][0]) for l, s in sizes])
        c.add("Dovecot", [(s, cv[(l, "mb_per_s")][1]) for l, s in sizes])
        save("compare-size.svg", c.svg())

    mem = read_tsv(os.path.join(d, "memory.tsv"))
    if mem:
        c = Chart("Server memory (PSS) held by idle logged-in sessions",
                  "connections", "MB (PSS, all server processes)", logx=True, logy=True)
        c.add("pop3d", [(float(r[0]), float(r[0]) * float(r[1]) / 1024) for r in mem if num(r[1])])
        c.add("Dovecot", [(float(r[0]), float(r[0]) * float(r[2]) / 1024) for r in mem
                          if len(r) > 2 and num(r[2])])
        c.note = "increase over the server's idle footprint"
        save("memory-connections.svg", c.svg())

    print("plot.py: wrote " + (", ".join(wrote) if wrote else "nothing (no data)"))


if __name__ == "__main__":
    main()
