#!/bin/sh
# callgrind.sh - instruction counts of the benchmarks' operations (stable,
# unlike times on a shared machine).  Part of make bench when valgrind is
# installed.
#
#   sh tests/bench/callgrind.sh BENCH_PROGRAM...
#
# Each program is run once with --callgrind under valgrind's callgrind
# tool; it dumps the counters after each operation with a name whose last
# word is the number of units done (octets, commands, messages).  Printed:
# instructions per unit.  The libc references are shown for scale only:
# valgrind counts each iteration of memcpy's "rep movsb" as an instruction,
# so instruction ratios to memcpy say nothing about time.
set -u
status=0
tmp=${TMPDIR:-/tmp}/pop3-callgrind.$$
mkdir -p "$tmp" || exit 1
trap 'rm -rf "$tmp"' EXIT
for prog in "$@"; do
    name=$(basename "$prog")
    if ! valgrind --tool=callgrind --callgrind-out-file="$tmp/$name.out" \
            "$prog" --callgrind >"$tmp/$name.log" 2>&1; then
        echo "callgrind: $prog failed:" >&2
        tail -5 "$tmp/$name.log" >&2
        status=1
        continue
    fi
    echo "==== callgrind: $name (instructions, Ir)"
    i=1
    while [ -f "$tmp/$name.out.$i" ]; do
        f="$tmp/$name.out.$i"
        i=$((i + 1))
        desc=$(sed -n 's/^desc: Trigger: Client Request: //p' "$f")
        total=$(sed -n 's/^totals: *//p; s/^summary: *//p' "$f" | head -1)
        [ -n "$desc" ] && printf '%s\t%s\n' "$desc" "$total"
    done | awk -F'\t' '
    {
        n = split($1, w, " "); units = w[n]; op = w[1]; label = ""
        for (i = 2; i < n; i++) label = label (label == "" ? "" : " ") w[i]
        ir[op, label] = $2 / units; unit[op, label] = units
        if (!(label in seen)) { seen[label] = 1; order[++nl] = label }
        ops[op] = 1; line[++nn] = op SUBSEP label
    }
    END {
        if (("encode" in ops)) {
            printf "%-12s %8s | %9s %9s | %9s %9s\n", "input", "octets", "encode", "(memcpy)", "wire_size", "(memchr)"
            printf "%-12s %8s | %9s %9s | %9s %9s\n", "", "", "Ir/octet", "Ir/octet", "Ir/octet", "Ir/octet"
            for (k = 1; k <= nl; k++) {
                l = order[k]
                printf "%-12s %8d | %9.3f %9.3f | %9.3f %9.3f\n", l, unit["encode", l], ir["encode", l], ir["memcpy", l], ir["wire_size", l], ir["memchr", l]
            }
        } else {
            for (k = 1; k <= nn; k++) {
                split(line[k], p, SUBSEP)
                printf "%-14s %-26s %10.1f Ir per unit (%d units)\n", p[1], p[2], ir[p[1], p[2]], unit[p[1], p[2]]
            }
        }
    }'
done
exit $status
