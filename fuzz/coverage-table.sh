#!/bin/sh
# fuzz/coverage-table.sh TESTS-REPORT FUZZ-REPORT
#
# Print one table from two `llvm-cov report` outputs (LLVM 12+ columns:
# regions, functions, lines, branches): line and branch coverage of each
# lib/ file by the test suite and by the fuzz corpora.
set -eu
[ $# -eq 2 ] || { echo "usage: $0 TESTS-REPORT FUZZ-REPORT" >&2; exit 2; }

awk '
function base(f) { sub(/.*\//, "", f); return f == "TOTAL" ? f : "lib/" f }
# Filename Regions Miss Cover Functions Miss Executed Lines Miss Cover Branches Miss Cover
FNR == 1 { src++ }
NF == 13 && ($1 ~ /\.c$/ || $1 == "TOTAL") {
    f = base($1); seen[f] = 1
    L[src, f] = $8; LM[src, f] = $9; B[src, f] = $11; BM[src, f] = $12
}
function pct(n, m) { return n > 0 ? sprintf("%6.2f%%", 100 * (n - m) / n) : "     -" }
function cell(s, f) {
    return sprintf("%s %11s   %s %11s", pct(L[s, f], LM[s, f]), "(" (L[s, f] - LM[s, f]) "/" L[s, f] ")",
                   pct(B[s, f], BM[s, f]), "(" (B[s, f] - BM[s, f]) "/" B[s, f] ")")
}
END {
    printf "%-16s | %-42s | %-42s\n", "", "tests: lines / branches", "fuzz corpora: lines / branches"
    n = 0
    for (f in seen) if (f != "TOTAL") names[++n] = f
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (names[j] < names[i]) { t = names[i]; names[i] = names[j]; names[j] = t }
    for (i = 1; i <= n; i++) printf "%-16s | %s | %s\n", names[i], cell(1, names[i]), cell(2, names[i])
    printf "%-16s | %s | %s\n", "TOTAL", cell(1, "TOTAL"), cell(2, "TOTAL")
}' "$1" "$2"
