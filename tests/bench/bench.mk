# tests/bench/bench.mk - benchmarks, load generator, server comparison and
# plots (issue 6).  Included by the top-level Makefile, which builds every
# tests/bench/*.c into $(B)/bench/ (one program each, linked with
# libpop3.a).  See docs/performance.md.
#
#   make bench           bench_codec and bench_session (medians of BENCH_RUNS,
#                        default 7), then instruction counts under callgrind
#                        when valgrind is installed (BENCH_CALLGRIND=0: skip),
#                        then bench_codec again from the same sources built
#                        for this CPU (BENCH_ARCH, default -march=native;
#                        BENCH_ARCH= skips it)
#   make bench-compare   examples/pop3d against Dovecot (tests/bench/compare.sh;
#                        ROUNDS, DURATION, IDLE, SWEEP, NO_DOVECOT=1)
#   make bench-plots     re-measure the plotted series and redraw docs/plots/*.svg
#                        (BENCH_PLOTS_COMPARE=1 also reruns bench-compare)
#
# Timing figures are printed, never asserted.

BENCH_PROGS := $(B)/bench/bench_codec $(B)/bench/bench_session
BENCH_LOADGEN := $(B)/bench/loadgen
BENCH_MKMAILDIR := $(B)/bench/mkmaildir
BENCH_CALLGRIND ?= 1
BENCH_ARCH ?= -march=native
BENCH_ARCH_B := $(B)/arch
PYTHON ?= python3
BENCH_PLOTS_COMPARE ?= 0

.PHONY: bench bench-compare bench-plots
bench: $(BENCH_PROGS)
	@status=0; for b in $(BENCH_PROGS); do \
	    echo "==== bench: $$b"; ./$$b || status=1; echo; \
	done; \
	if [ '$(BENCH_CALLGRIND)' = 1 ] && command -v $(VALGRIND) >/dev/null 2>&1; then \
	    sh tests/bench/callgrind.sh $(BENCH_PROGS) || status=1; \
	else \
	    echo "bench: valgrind not found (or BENCH_CALLGRIND=0): no instruction counts"; \
	fi; \
	if [ -n '$(BENCH_ARCH)' ]; then \
	    echo; echo "==== bench: bench_codec, library built with $(BENCH_ARCH)"; \
	    if $(MAKE) --no-print-directory B=$(BENCH_ARCH_B) POP3_OPT='$(POP3_OPT) $(BENCH_ARCH)' \
	        $(BENCH_ARCH_B)/bench/bench_codec >$(B)/bench/arch-build.log 2>&1; then \
	        BENCH_LABEL='$(CC) $(POP3_OPT) $(BENCH_ARCH)' ./$(BENCH_ARCH_B)/bench/bench_codec || status=1; \
	    else \
	        echo "bench: $(CC) cannot build with $(BENCH_ARCH) (see $(B)/bench/arch-build.log): skipped"; \
	    fi; \
	fi; exit $$status

bench-compare: $(BENCH_LOADGEN) $(BENCH_MKMAILDIR) $(POP3D_BIN)
	@if [ -z '$(POP3D_BIN)' ]; then echo "bench-compare: examples/pop3d is missing" >&2; exit 1; fi
	sh tests/bench/compare.sh $(POP3D_BIN) $(BENCH_LOADGEN) $(BENCH_MKMAILDIR)

bench-plots: $(BENCH_PROGS) $(BENCH_LOADGEN) $(BENCH_MKMAILDIR) $(POP3D_BIN)
	rm -f $(B)/bench/plot-data.tsv
	BENCH_TSV=$(B)/bench/plot-data.tsv ./$(B)/bench/bench_codec >/dev/null
	BENCH_TSV=$(B)/bench/plot-data.tsv ./$(B)/bench/bench_session listing >/dev/null
	BENCH_TSV=$(B)/bench/plot-data.tsv ./$(B)/bench/bench_session memory >/dev/null
	cp $(B)/bench/plot-data.tsv docs/plots/bench.tsv
	if [ '$(BENCH_PLOTS_COMPARE)' = 1 ]; then \
	    BENCH_SAVE=1 sh tests/bench/compare.sh $(POP3D_BIN) $(BENCH_LOADGEN) $(BENCH_MKMAILDIR); fi
	$(PYTHON) docs/plots/plot.py docs/plots
