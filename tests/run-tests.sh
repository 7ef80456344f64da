#!/usr/bin/env bash
# tests/run-tests.sh [-l LABEL] [-w WRAPPER] [-t SECONDS] PROGRAM...
#
# Runs every cmocka test program (through WRAPPER, e.g. valgrind, if given),
# keeps going after a failure, adds up cmocka's per-program summaries and
# ends with one line "LABEL: N passed, N failed".  Exits 1 if any program
# failed (a failed test, a crash, a sanitizer or valgrind error, a timeout).
# Run it from the repository root; the environment is passed through.
set -u

label=check
wrapper=()
limit=${TEST_TIMEOUT:-600}
while getopts 'l:w:t:' opt; do
    case $opt in
        l) label=$OPTARG ;;
        w) read -r -a wrapper <<<"$OPTARG" ;;
        t) limit=$OPTARG ;;
        *) echo "usage: $0 [-l LABEL] [-w WRAPPER] [-t SECONDS] PROGRAM..." >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))

timeout_cmd=()
if [ "$limit" != 0 ] && command -v timeout >/dev/null 2>&1; then
    timeout_cmd=(timeout "$limit")
fi

passed=0 failed=0 skipped=0
bad_programs=()
log=$(mktemp)
trap 'rm -f "$log"' EXIT

if [ $# -eq 0 ]; then
    echo "$label: no test programs (tests/test_*.c) to run"
fi

for prog in "$@"; do
    echo "---- $label: $prog${wrapper:+ (under ${wrapper[0]})}"
    "${timeout_cmd[@]}" "${wrapper[@]}" "$prog" 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}

    p=$(sed -n 's/^\[  PASSED  \] \([0-9][0-9]*\) test.*/\1/p' "$log" | awk '{s += $1} END {print s + 0}')
    f=$(sed -n 's/^\[  FAILED  \] \([0-9][0-9]*\) test.*/\1/p' "$log" | awk '{s += $1} END {print s + 0}')
    s=$(sed -n 's/^\[  SKIPPED \] \([0-9][0-9]*\) test.*/\1/p' "$log" | awk '{s += $1} END {print s + 0}')
    passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))

    if [ "$rc" -ne 0 ]; then
        why="exit status $rc"
        [ "$rc" -eq 124 ] && [ ${#timeout_cmd[@]} -gt 0 ] && why="timed out after ${limit}s"
        [ "$rc" -eq 99 ] && [ ${#wrapper[@]} -gt 0 ] && why="${wrapper[0]} reported errors"
        [ "$rc" -gt 128 ] && [ "$rc" -ne 255 ] && why="killed by signal $((rc - 128))"
        bad_programs+=("$prog ($why)")
        # A crash, a sanitizer/valgrind error or a timeout that cmocka did not
        # count as a failed test still counts as one failure.
        [ "$f" -eq 0 ] && failed=$((failed + 1))
    fi
done

echo "===="
if [ ${#bad_programs[@]} -gt 0 ]; then
    echo "$label: FAILED programs:"
    printf '    %s\n' "${bad_programs[@]}"
fi
summary="$label: $passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
echo "$summary"
[ ${#bad_programs[@]} -eq 0 ]
