#!/bin/sh
# docs/tools/gen.sh OUTDIR - generate every derived documentation file into
# OUTDIR/man and OUTDIR/diagrams.  make docs runs it with OUTDIR=docs (the
# committed copies); make check-docs runs it into the build directory and
# compares.  Environment: PYTHON, STATES2SVG, TRACE_DEMO, TRACE2SVG (paths
# of the built tools).  Every output is deterministic.
set -eu

out=$1
PYTHON=${PYTHON:-python3}
mkdir -p "$out/man" "$out/diagrams"

# Write stdin to $1 only when it changed (keeps dates of unchanged files).
put() {
    cat > "$1.tmp"
    if [ -f "$1" ] && cmp -s "$1.tmp" "$1"; then
        rm -f "$1.tmp"
    else
        mv "$1.tmp" "$1"
    fi
}

"$PYTHON" docs/tools/mkman.py include/pop3.h "$out/man"

"$STATES2SVG" | put "$out/diagrams/states.svg"

"$TRACE_DEMO" classic | put "$out/diagrams/classic.trace"
"$TRACE2SVG" -t 'A classic session: USER/PASS, STAT, LIST, RETR, DELE, QUIT' \
    "$out/diagrams/classic.trace" | put "$out/diagrams/classic.svg"

"$TRACE_DEMO" stls-sasl | put "$out/diagrams/stls-sasl.trace"
"$TRACE2SVG" -t 'STLS, then SASL PLAIN on the encrypted channel' \
    "$out/diagrams/stls-sasl.trace" | put "$out/diagrams/stls-sasl.svg"
