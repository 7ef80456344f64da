#!/bin/sh
# fuzz/mutation-check.sh [SECONDS]
#
# Prove the harnesses notice bugs: copy lib/, include/ and fuzz/ to a
# temporary directory (the repository is never touched), plant one bug at a
# time, build the harness that should catch it, fuzz the mutant for at most
# SECONDS (default 120) from the seed corpus (MUTATION_EMPTY_CORPUS=1: from
# a single empty input, so the fuzzer must find the way itself), and report
# how long it took to find it.  Exits 1 if a mutant survives.
#
#   stuffing   lib/encoder.c: no dot-stuffing after a bare LF (the
#              GreenMail bug) - caught by the encoder and session harnesses
#   commit     lib/session.c: close_session() reports the maildrop
#              committed, so a dropped connection (EOF, abort, autologout)
#              would make the host apply deletions - caught by the session
#              harness ("maildrop_close(committed=1) without a successful
#              commit")
#   wipe       lib/session.c: pop3_session_deinit() leaves the input buffer
#              as it is, so a password line received but not yet answered
#              survives the session - caught by the session harness ("a
#              password ... is left in the session memory after deinit")
set -eu

secs=${1:-120}
cc=${FUZZ_CC:-clang}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/pop3-mutation.XXXXXX")
status=0

plant() {   # NAME FILE SED-SCRIPT EXPECTED-CHANGED-LINES
    d=$work/$1
    mkdir -p "$d"
    cp -R "$root/lib" "$root/include" "$root/fuzz" "$d/"
    sed "$3" "$root/$2" > "$d/$2"
    changed=$(diff "$root/$2" "$d/$2" | grep -c '^>' || true)
    if [ "$changed" != "$4" ]; then
        echo "mutation-check: $1: the mutation no longer applies to $2 ($changed of $4 lines changed)" >&2
        exit 2
    fi
}

build() {   # DIR HARNESS OUTPUT
    (cd "$1" && $cc -Iinclude -Ilib -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined \
        -fno-sanitize-recover=all -o "$3" "fuzz/fuzz_$2.c" lib/*.c) || exit 2
}

# A finding counts only if the unmutated library passes the same input, so
# open bugs of the real code cannot pass for a caught mutant; seeds that
# already fail there are left out.
hunt() {    # NAME HARNESS
    d=$work/$1
    base=$work/baseline
    if [ ! -d "$base" ]; then
        mkdir -p "$base"
        cp -R "$root/lib" "$root/include" "$root/fuzz" "$base/"
    fi
    [ -x "$base/$2" ] || build "$base" "$2" "$2"
    build "$d" "$2" "$2"
    rm -rf "$d/corpus-$2"
    mkdir -p "$d/corpus-$2"
    if [ "${MUTATION_EMPTY_CORPUS:-0}" = 1 ]; then
        : > "$d/corpus-$2/empty"
    else
        for f in "$root/fuzz/corpus/$2/"*; do
            if ASAN_OPTIONS=detect_leaks=0 "$base/$2" "$f" >/dev/null 2>&1; then cp "$f" "$d/corpus-$2/"; fi
        done
    fi
    start=$(date +%s)
    while :; do
        left=$(( secs - ($(date +%s) - start) ))
        if [ "$left" -le 0 ]; then
            echo "mutation-check: $1: SURVIVED $secs s of the $2 harness"
            status=1
            return
        fi
        rm -f "$d"/found-"$2"-*
        if (cd "$d" && ASAN_OPTIONS=detect_leaks=0 ./"$2" -dict=fuzz/pop3.dict -max_len=8192 \
                -max_total_time="$left" -artifact_prefix="$d/found-$2-" "corpus-$2" \
                > "$d/$2.log" 2>&1); then
            continue
        fi
        repro=$(ls "$d"/found-"$2"-* 2>/dev/null | head -n 1)
        if [ -n "$repro" ] && ASAN_OPTIONS=detect_leaks=0 "$base/$2" "$repro" >/dev/null 2>&1; then
            t=$(( $(date +%s) - start ))
            why=$(grep -m1 -E 'INVARIANT FAILED|ERROR: AddressSanitizer|runtime error' "$d/$2.log" |
                  sed 's/^.*INVARIANT FAILED ([^)]*): //')
            echo "mutation-check: $1: caught by $2 after ${t} s: $why"
            echo "    reproducer: $repro"
            return
        fi
        echo "mutation-check: $1: ($2 found an open bug of the real code; going on)"
        [ -n "$repro" ] && mv "$repro" "$d/open-bug-$(basename "$repro")"
    done
}

echo "mutation-check: mutants in $work"
plant stuffing lib/encoder.c \
    's/^            als = 1;$/            als = c != LF;/
     /^                ip = p = lf + 1;$/{n;s/als = 1;/als = 0;/;}' 2
hunt stuffing encoder
hunt stuffing session

plant commit lib/session.c \
    '/^static void close_session(/,/^}/s/close_maildrop(s, 0);/close_maildrop(s, 1);/' 1
hunt commit session

plant wipe lib/session.c \
    '/^int pop3_session_deinit(/,/^}/s/pop3__wipe(s->in, s->in_cap);/(void)0;/' 1
hunt wipe session

exit $status
