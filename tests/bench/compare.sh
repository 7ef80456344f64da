#!/bin/sh
# compare.sh - examples/pop3d against Dovecot's pop3 on loopback (make
# bench-compare).
#
#   sh tests/bench/compare.sh POP3D LOADGEN MKMAILDIR
#
# Sets up one mail root (Maildirs made by mkmaildir, hard links to one copy
# of each message) and one user list in $BENCH_DIR (default
# build/bench-compare), starts pop3d and a private Dovecot instance (its own
# config, base_dir and log under $BENCH_DIR/dovecot, 127.0.0.1 only; the
# package dovecot-pop3d is installed with apt-get when missing and we are
# root), runs the same loads against both in alternation (the order flips
# every round), and prints the medians and their ratio.  Both servers are
# stopped by PID at the end, whatever happens.
#
# Loads (tests/bench/loadgen.c): "full" sessions (USER, PASS, STAT, UIDL,
# RETR every message, QUIT) with 8 and 32 clients, plain and pipelined;
# "login" sessions (USER, PASS, QUIT); and idle logged-in sessions for
# memory: PSS (/proc/PID/smaps_rollup) summed over every process of the
# server, before and with N idle sessions, divided by N.
#
# Environment: ROUNDS (5), DURATION seconds per run (3), IDLE ("1000
# 10000"), SWEEP (1 to run the message-size sweep, default 1), PORT_POP3D
# (21110), PORT_DOVECOT (21111), BENCH_DIR, NO_DOVECOT=1 (pop3d only).
# Results: $BENCH_DIR/results.tsv (one line per run) and the table on
# stdout; docs/plots/compare.tsv and docs/plots/memory.tsv get the medians
# when BENCH_SAVE=1.
set -u

POP3D=${1:?usage: compare.sh POP3D LOADGEN MKMAILDIR}
LOADGEN=${2:?usage: compare.sh POP3D LOADGEN MKMAILDIR}
MKMAILDIR=${3:?usage: compare.sh POP3D LOADGEN MKMAILDIR}
D=${BENCH_DIR:-build/bench-compare}
ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-3}
IDLE=${IDLE:-"1000 10000"}
SWEEP=${SWEEP:-1}
PORT_P=${PORT_POP3D:-21110}
PORT_D=${PORT_DOVECOT:-21111}
NO_DOVECOT=${NO_DOVECOT:-0}

# Realistic mailbox: 10 messages of 2 KB to 300 KB (those of 100 KB and
# more carry a base64 attachment): 626 KB in all.
MIX=2048,3072,5120,8192,12288,20480,40960,76800,153600,307200

case $D in /*) ;; *) D=$(pwd)/$D ;; esac
POP3D_PID= DOVECOT_PID= LG_PID=

say() { printf '%s\n' "$*" >&2; }

cleanup() {
    [ -n "$LG_PID" ] && kill "$LG_PID" 2>/dev/null
    [ -n "$POP3D_PID" ] && kill "$POP3D_PID" 2>/dev/null
    if [ -n "$DOVECOT_PID" ]; then
        kill "$DOVECOT_PID" 2>/dev/null
        # The master stops its children; wait until they are gone.
        i=0
        while kill -0 "$DOVECOT_PID" 2>/dev/null && [ $i -lt 100 ]; do
            sleep 0.1; i=$((i + 1))
        done
    fi
    [ -n "$POP3D_PID" ] && wait "$POP3D_PID" 2>/dev/null
    POP3D_PID= DOVECOT_PID= LG_PID=
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Descriptors: 10,000 sessions need more than the usual 1024.  Raise the
# soft limit to the hard one (the servers and loadgen inherit it); pop3d
# needs one descriptor per idle logged-in session, loadgen one per client.
hard=$(ulimit -Hn)
if [ "$hard" = unlimited ]; then
    ulimit -n 1048576 2>/dev/null || ulimit -n 65536 2>/dev/null
else
    ulimit -n "$hard" 2>/dev/null
fi
say "compare: descriptor limit $(ulimit -n) (hard $hard)"

# ---------------------------------------------------------------------------
# Dovecot

if [ "$NO_DOVECOT" != 1 ] && ! command -v dovecot >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "compare: installing dovecot-pop3d"
        apt-get update >/dev/null 2>&1
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
            dovecot-pop3d >/dev/null 2>&1
    fi
fi
if [ "$NO_DOVECOT" != 1 ] && ! command -v dovecot >/dev/null 2>&1; then
    say "compare: dovecot is not installed (and cannot be): pop3d only"
    NO_DOVECOT=1
fi
if [ "$NO_DOVECOT" != 1 ] && [ "$(id -u)" != 0 ]; then
    say "compare: a private Dovecot instance needs root here: pop3d only"
    NO_DOVECOT=1
fi

# ---------------------------------------------------------------------------
# The mail root

rm -rf "$D"
mkdir -p "$D"
say "compare: making Maildirs in $D"
maxidle=0
for n in $IDLE; do [ "$n" -gt "$maxidle" ] && maxidle=$n; done
"$MKMAILDIR" "$D" bench 64 "$MIX" || exit 1
[ "$maxidle" -gt 0 ] && { "$MKMAILDIR" "$D" idle "$maxidle" "$MIX" || exit 1; }
if [ "$SWEEP" = 1 ]; then
    "$MKMAILDIR" "$D" s1k 32 1024,1024,1024,1024,1024,1024,1024,1024,1024,1024 &&
    "$MKMAILDIR" "$D" s10k 32 10240,10240,10240,10240,10240,10240,10240,10240,10240,10240 &&
    "$MKMAILDIR" "$D" s100k 32 102400,102400,102400,102400,102400,102400,102400,102400,102400,102400 &&
    "$MKMAILDIR" "$D" s1m 32 1048576,1048576,1048576,1048576,1048576 || exit 1
fi
# Dovecot's mail processes run as nobody and write their index files into
# the Maildirs; pop3d (root here) reads them all the same.
if [ "$NO_DOVECOT" != 1 ]; then
    chown -R nobody:nogroup "$D/mail" "$D/pool"
    chmod 755 "$D"
fi

# ---------------------------------------------------------------------------
# Servers

start_pop3d() {
    "$POP3D" --mail-root "$D/mail" --users "$D/users" --listen "127.0.0.1:$PORT_P" \
        --max-sessions $((maxidle + 2000)) >>"$D/pop3d.log" 2>&1 &
    POP3D_PID=$!
}
start_pop3d

if [ "$NO_DOVECOT" != 1 ]; then
    mkdir -p "$D/dovecot/run" "$D/dovecot/state"
    lim=$((maxidle + 2000))
    cat >"$D/dovecot/dovecot.conf" <<EOF
# Private Dovecot instance for tests/bench/compare.sh: 127.0.0.1 only.
base_dir = $D/dovecot/run
state_dir = $D/dovecot/state
log_path = $D/dovecot/dovecot.log
protocols = pop3
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
mail_location = maildir:$D/mail/%u
default_process_limit = $lim
default_client_limit = $((lim * 4))
passdb {
  driver = passwd-file
  args = scheme=PLAIN $D/passwd
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=$D/mail/%u
}
service pop3-login {
  inet_listener pop3 {
    address = 127.0.0.1
    port = $PORT_D
  }
}
service pop3 {
  process_limit = $lim
}
EOF
    if ! dovecot -c "$D/dovecot/dovecot.conf"; then
        say "compare: dovecot did not start (see $D/dovecot/dovecot.log)"
        exit 1
    fi
    i=0
    while [ ! -s "$D/dovecot/run/master.pid" ] && [ $i -lt 50 ]; do
        sleep 0.1; i=$((i + 1))
    done
    DOVECOT_PID=$(cat "$D/dovecot/run/master.pid")
fi

port_of() { if [ "$1" = pop3d ]; then echo "$PORT_P"; else echo "$PORT_D"; fi; }
pid_of() { if [ "$1" = pop3d ]; then echo "$POP3D_PID"; else echo "$DOVECOT_PID"; fi; }
SERVERS=pop3d
[ "$NO_DOVECOT" != 1 ] && SERVERS="pop3d dovecot"

# Wait until a server answers a login.
wait_answer() {
    i=0
    until "$LOADGEN" --server "127.0.0.1:$(port_of "$1")" --mode login --sessions 1 \
              --user bench0 --quiet >/dev/null 2>&1; do
        i=$((i + 1))
        if [ $i -ge 50 ]; then say "compare: $1 does not answer"; exit 1; fi
        sleep 0.2
    done
}
for s in $SERVERS; do wait_answer "$s"; done

# ---------------------------------------------------------------------------
# Loads

R="$D/results.tsv"
: >"$R"
failed=0

# run SERVER LABEL LOADGEN-ARGS...: one run, its RESULT line into $R.
run() {
    srv=$1 label=$2
    shift 2
    line=$("$LOADGEN" --server "127.0.0.1:$(port_of "$srv")" --quiet "$@" 2>"$D/loadgen.err")
    rc=$?
    if [ $rc -ne 0 ]; then
        say "compare: $srv $label: loadgen failed: $(cat "$D/loadgen.err")"
        failed=1
    fi
    printf '%s\t%s\t%s\n' "$srv" "$label" "$line" >>"$R"
}

LOADS="full8|--mode full --clients 8 --user bench%d --users 64
full32|--mode full --clients 32 --user bench%d --users 64
pipe8|--mode full --clients 8 --pipeline --user bench%d --users 64
login32|--mode login --clients 32 --user bench%d --users 64"

say "compare: warming up (Dovecot builds its indexes on first login)"
for s in $SERVERS; do
    "$LOADGEN" --server "127.0.0.1:$(port_of $s)" --quiet --mode full --clients 64 \
        --user bench%d --users 64 --sessions 64 >/dev/null 2>&1
    if [ "$SWEEP" = 1 ]; then
        for g in s1k s10k s100k s1m; do
            "$LOADGEN" --server "127.0.0.1:$(port_of $s)" --quiet --mode full \
                --clients 32 --user "$g%d" --users 32 --sessions 32 >/dev/null 2>&1
        done
    fi
done

r=1
while [ $r -le "$ROUNDS" ]; do
    say "compare: round $r of $ROUNDS"
    order=$SERVERS
    [ $((r % 2)) = 0 ] && [ "$NO_DOVECOT" != 1 ] && order="dovecot pop3d"
    printf '%s\n' "$LOADS" | while IFS='|' read -r label args; do
        for s in $order; do
            # shellcheck disable=SC2086
            run "$s" "$label" $args --duration "$DURATION"
        done
        if [ "$failed" = 1 ]; then echo fail >"$D/failed"; fi
    done
    r=$((r + 1))
done

if [ "$SWEEP" = 1 ]; then
    say "compare: message-size sweep"
    r=1
    while [ $r -le 3 ]; do
        for g in s1k s10k s100k s1m; do
            for s in $SERVERS; do
                run "$s" "size-$g" --mode full --clients 8 --user "$g%d" --users 32 \
                    --duration "$DURATION"
            done
        done
        [ "$failed" = 1 ] && echo fail >"$D/failed"
        r=$((r + 1))
    done
fi

# ---------------------------------------------------------------------------
# Memory per idle logged-in session

# The PIDs of a process and all its descendants.
# (cat, not awk on the files: a process may exit between the glob and the
# read, and mawk stops at a file it cannot open.)
tree() {
    cat /proc/[0-9]*/stat 2>/dev/null | awk -v root="$1" '
        {
            pid = $1; line = $0; sub(/.*\) /, "", line); split(line, f, " ")
            parent[pid] = f[2]
        }
        END {
            for (p in parent) {
                q = p; n = 0
                while (q != "" && q != "0" && q != root && n++ < 64) q = parent[q]
                if (q == root) print p
            }
        }'
}

# Sum of Pss (kB) of a process tree.
pss() {
    for p in $(tree "$1"); do
        cat "/proc/$p/smaps_rollup" 2>/dev/null
    done | awk '/^Pss:/ { s += $2 } END { print s + 0 }'
}

nprocs() { tree "$1" | wc -l; }

# Open descriptors of a process tree (/proc/PID/fd of each).
fds() {
    tree "$1" | sed 's|.*|/proc/&/fd|' |
        xargs sh -c 'find "$@" -mindepth 1 -maxdepth 1 2>/dev/null' sh | wc -l
}

# pop3d keeps one descriptor per idle logged-in session (its socket; the
# maildrop locks are byte-range locks on one file per process): sizes
# beyond the descriptor limit are skipped, and said so (a container may not
# allow raising it).
fdlimit=$(ulimit -n)
M="$D/memory.tsv"
: >"$M"
for n in $IDLE; do
    for s in $SERVERS; do
        if [ "$s" = pop3d ] && [ "$fdlimit" != unlimited ] &&
           [ $((n + 64)) -gt "$fdlimit" ]; then
            say "compare: pop3d, $n idle sessions: skipped (needs ~$((n + 64)) descriptors, limit $fdlimit)"
            printf '%s\t%s\tskipped\tskipped\t0\t0\t0\n' "$s" "$n" >>"$M"
            continue
        fi
        say "compare: $s, $n idle sessions"
        if [ "$s" = pop3d ]; then
            # A fresh pop3d for each size: memory that malloc kept from an
            # earlier run would otherwise be reused and not counted.
            kill "$POP3D_PID" 2>/dev/null
            wait "$POP3D_PID" 2>/dev/null
            start_pop3d
            wait_answer pop3d
        fi
        pid=$(pid_of $s)
        sleep 1
        base=$(pss "$pid")
        procs0=$(nprocs "$pid")
        fds0=$(fds "$pid")
        out="$D/idle-$s-$n.out"
        "$LOADGEN" --server "127.0.0.1:$(port_of $s)" --mode idle --clients "$n" \
            --user idle%d --users "$n" --duration 600 --timeout 120 --quiet \
            >"$out" 2>"$D/loadgen.err" &
        LG_PID=$!
        i=0
        until grep -q '^ready' "$out" 2>/dev/null; do
            if ! kill -0 "$LG_PID" 2>/dev/null || [ $i -ge 9000 ]; then
                say "compare: $s: $n idle sessions did not all log in: $(cat "$D/loadgen.err")"
                failed=1
                break
            fi
            sleep 0.1; i=$((i + 1))
        done
        if grep -q '^ready' "$out" 2>/dev/null; then
            sleep 2
            with=$(pss "$pid")
            procs=$(nprocs "$pid")
            fdsn=$(fds "$pid")
            printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$s" "$n" "$base" "$with" "$procs" \
                "$fds0" "$fdsn" >>"$M"
            say "compare: $s, $n idle sessions: PSS $base -> $with kB, $procs processes, descriptors $fds0 -> $fdsn"
        fi
        kill -TERM "$LG_PID" 2>/dev/null
        if ! wait "$LG_PID"; then
            say "compare: $s: idle loadgen reported errors: $(cat "$D/loadgen.err")"
            failed=1
        fi
        LG_PID=
        # Let the server reap the sessions before the next measurement.
        i=0
        while [ "$(nprocs "$pid")" -gt "$procs0" ] && [ $i -lt 300 ]; do
            sleep 0.1; i=$((i + 1))
        done
        sleep 2
    done
done
[ -f "$D/failed" ] && failed=1

cleanup

# ---------------------------------------------------------------------------
# Report

awk -F'\t' -v servers="$SERVERS" -v save="${BENCH_SAVE:-0}" '
function median(list,    a, n, i, j, t) {
    n = split(list, a, " ")
    for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] + 0 > t + 0; j--) a[j + 1] = a[j]; a[j + 1] = t }
    if (n == 0) return ""
    return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
FILENAME == ARGV[1] {
    srv = $1; label = $2; n = split($3, kv, " ")
    for (i = 1; i <= n; i++) {
        split(kv[i], p, "=")
        v[srv, label, p[1]] = v[srv, label, p[1]] " " p[2]
    }
    if (!(label in seen)) { seen[label] = 1; order[++nl] = label }
    next
}
{ mem[$1, $2] = ($3 == "skipped") ? "skipped" : ($4 - $3) / $2; memp[$1, $2] = $5; memf[$1, $2] = ($3 == "skipped") ? "" : sprintf("%.2f", ($7 - $6) / $2); if (!($2 in mseen)) { mseen[$2] = 1; morder[++nm] = $2 } }
END {
    dov = (servers ~ /dovecot/)
    printf "%-30s %14s %14s %9s\n", "metric (median of runs)", "pop3d", (dov ? "dovecot" : "-"), "ratio"
    for (k = 1; k <= nl; k++) {
        l = order[k]
        split("messages_per_s sessions_per_s mb_per_s lat_p50_ms lat_p99_ms", ms, " ")
        for (j = 1; j <= 5; j++) {
            m = ms[j]
            if (l ~ /^login/ && (m == "messages_per_s" || m == "mb_per_s")) continue
            if (l !~ /^login/ && m == "sessions_per_s" && l !~ /^full/) continue
            a = median(v["pop3d", l, m]); b = dov ? median(v["dovecot", l, m]) : ""
            r = ""
            if (b != "" && b + 0 > 0 && a + 0 > 0) r = (m ~ /lat/) ? sprintf("%.2fx", b / a) : sprintf("%.2fx", a / b)
            printf "%-30s %14s %14s %9s\n", l " " m, a, b, r
            if (save == 1) printf "%s\t%s\t%s\t%s\n", l, m, a, b > "docs/plots/compare.tsv"
        }
    }
    if (nm) {
        printf "\n%-30s %14s %14s %9s\n", "memory per idle session (PSS)", "pop3d", (dov ? "dovecot" : "-"), "ratio"
        for (k = 1; k <= nm; k++) {
            n = morder[k]
            a = mem["pop3d", n]; b = dov ? mem["dovecot", n] : ""
            r = (b != "" && a != "skipped" && a > 0) ? sprintf("%.1fx", b / a) : ""
            printf "%-30s %14s %14s %9s\n", n " sessions", (a == "skipped" ? a : sprintf("%.1f kB", a)), (b == "" ? "" : sprintf("%.1f kB", b)), r
            printf "%-30s %14s %14s\n", "  server processes", memp["pop3d", n], (dov ? memp["dovecot", n] : "")
            printf "%-30s %14s %14s\n", "  descriptors per session", memf["pop3d", n], (dov ? memf["dovecot", n] : "")
            if (save == 1) printf "%s\t%s\t%s\n", n, a, b > "docs/plots/memory.tsv"
        }
    }
}' "$R" "$M"
if [ "${BENCH_SAVE:-0}" = 1 ]; then
    say "compare: medians appended to docs/plots/compare.tsv and docs/plots/memory.tsv"
fi
exit $failed
