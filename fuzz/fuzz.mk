# fuzz/fuzz.mk - fuzzing and coverage targets, included by the top-level
# Makefile.  See docs/fuzzing.md.
#
#   make fuzz               libFuzzer targets in build/fuzz/ (clang,
#                           -fsanitize=fuzzer,address,undefined)
#   make fuzz FUZZ_SECONDS=N   ... and run each of them for N seconds
#   make fuzz-run           run FUZZ_TARGETS for FUZZ_SECONDS each (default
#                           600) on a working corpus in build/fuzz/live/;
#                           FUZZ_FORK=N keeps going after findings (libFuzzer
#                           -fork=N -ignore_crashes=1), collecting them all
#   make fuzz-smoke         every target for FUZZ_SMOKE_SECONDS (default 25) on
#                           a fresh copy of its seed corpus; fails on a finding
#                           (FUZZ_SMOKE_SEED=N repeats a run: the failure
#                           report prints the seed it used)
#   make fuzz-afl           AFL++ targets in build/fuzz-afl/ (afl-clang-lto or
#                           afl-clang-fast, ASan + UBSan)
#   make fuzz-afl-run       afl-fuzz on FUZZ_AFL_TARGET for FUZZ_SECONDS
#   make fuzz-replay        stand-alone replayers in build/fuzz-replay/, run
#                           over the seed corpora (no libFuzzer needed)
#   make fuzz-corpus        regenerate fuzz/corpus/ (python3 fuzz/make-corpus.py)
#   make coverage           line and branch coverage of lib/ by the tests and,
#                           separately, by the fuzz corpora (clang + llvm-cov)
#
# Missing tools are installed with apt-get when running as root (through
# tests/need.sh); otherwise the target stops with one line saying what to
# install.

FUZZ_TARGETS ?= session chunking encoder parsers
FUZZ_CC ?= clang
FUZZ_SECONDS ?=
FUZZ_SMOKE_SECONDS ?= 25
FUZZ_SMOKE_SEED ?=
FUZZ_JOBS ?= 1
FUZZ_RUN_SECONDS = $(or $(FUZZ_SECONDS),600)
FUZZ_PAR_OPTS = $(if $(filter-out 1,$(FUZZ_JOBS)),-jobs=$(FUZZ_JOBS) -workers=$(FUZZ_JOBS)) \
    $(if $(FUZZ_FORK),-fork=$(FUZZ_FORK) -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
FUZZ_AFL_TARGET ?= session
FUZZ_B := build/fuzz
FUZZ_AFL_B := build/fuzz-afl
FUZZ_REPLAY_B := build/fuzz-replay
FUZZ_COV_B := build/coverage

FUZZ_SRCS := $(FUZZ_TARGETS:%=fuzz/fuzz_%.c)
FUZZ_DEPS := $(LIB_SRCS) $(LIB_HDRS) fuzz/fuzz_common.h
FUZZ_CPPFLAGS := -Iinclude -Ilib
FUZZ_CFLAGS := -std=c11 -g -O1 -fno-omit-frame-pointer -Wall -Wextra
FUZZ_SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_BINS := $(FUZZ_TARGETS:%=$(FUZZ_B)/%)
FUZZ_AFL_BINS := $(FUZZ_TARGETS:%=$(FUZZ_AFL_B)/%)
FUZZ_REPLAY_BINS := $(FUZZ_TARGETS:%=$(FUZZ_REPLAY_B)/%)
# Options every libFuzzer run gets.  -rss_limit_mb leaves room for ASan.
FUZZ_LIBFUZZER_OPTS ?= -dict=fuzz/pop3.dict -timeout=20 -rss_limit_mb=2560 \
    -max_len=8192 -print_final_stats=1
# detect_leaks follows the probe made by need-libfuzzer: 0 where LeakSanitizer
# cannot run (under ptrace, for one), else every run would "fail".
FUZZ_ENV = ASAN_OPTIONS=abort_on_error=1:detect_leaks=$$(cat $(FUZZ_B)/probe/leaks 2>/dev/null || echo 1):allocator_may_return_null=1 \
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

.PHONY: fuzz fuzz-run fuzz-smoke fuzz-afl fuzz-afl-run fuzz-replay fuzz-corpus \
    need-libfuzzer need-afl need-llvm-cov coverage coverage-tests coverage-fuzz

# ---------------------------------------------------------------------------
# libFuzzer

need-libfuzzer:
	@mkdir -p $(FUZZ_B)/probe
	@printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
	    'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);' \
	    'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }' \
	    > $(FUZZ_B)/probe/lf.c
	@tests/need.sh clang \
	    'libpop3: make fuzz needs clang: install clang (Debian/Ubuntu: apt-get install clang)' \
	    $(FUZZ_CC) --version
	@tests/need.sh libclang-rt-14-dev \
	    'libpop3: make fuzz needs the libFuzzer runtime: install libclang-rt-14-dev (or the one matching your clang)' \
	    $(FUZZ_CC) -fsanitize=fuzzer,address -o $(FUZZ_B)/probe/lf $(FUZZ_B)/probe/lf.c
	@printf '%s\n' '#include <stdlib.h>' \
	    'int main(void) { void *volatile p = malloc(16); free(p); return 0; }' > $(FUZZ_B)/probe/lsan.c
	@$(FUZZ_CC) -fsanitize=address -o $(FUZZ_B)/probe/lsan $(FUZZ_B)/probe/lsan.c
	@if ASAN_OPTIONS=detect_leaks=1 $(FUZZ_B)/probe/lsan >/dev/null 2>&1; then echo 1; else \
	    echo "libpop3: LeakSanitizer does not work here (ptrace?): fuzzing with detect_leaks=0" >&2; \
	    echo 0; fi > $(FUZZ_B)/probe/leaks

$(FUZZ_BINS): $(FUZZ_B)/%: fuzz/fuzz_%.c $(FUZZ_DEPS) | need-libfuzzer
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(FUZZ_SANITIZE) \
	    -o $@ $< $(LIB_SRCS)

fuzz: $(FUZZ_BINS)
ifneq ($(strip $(FUZZ_SECONDS)),)
	@$(MAKE) --no-print-directory fuzz-run FUZZ_SECONDS=$(FUZZ_SECONDS)
endif

# A long run: the working corpus build/fuzz/live/<target>/ starts as a copy
# of the seeds and keeps what the fuzzer finds (fuzz/corpus/ is never
# written).  Findings go to build/fuzz/findings/<target>/.
fuzz-run: $(FUZZ_BINS)
	@status=0; for t in $(FUZZ_TARGETS); do \
	    mkdir -p $(FUZZ_B)/live/$$t $(FUZZ_B)/findings/$$t; \
	    cp -n fuzz/corpus/$$t/* $(FUZZ_B)/live/$$t/ 2>/dev/null || true; \
	    echo "==== fuzz-run: $$t for $(FUZZ_RUN_SECONDS) s (log: $(FUZZ_B)/findings/$$t/last-run.log)"; \
	    $(FUZZ_ENV) $(FUZZ_B)/$$t $(FUZZ_LIBFUZZER_OPTS) $(FUZZ_PAR_OPTS) \
	        -max_total_time=$(FUZZ_RUN_SECONDS) -artifact_prefix=$(FUZZ_B)/findings/$$t/ \
	        $(FUZZ_B)/live/$$t > $(FUZZ_B)/findings/$$t/last-run.log 2>&1; rc=$$?; \
	    grep -E '^(#[0-9]+[[:space:]]+(DONE|INITED)|stat::|==[0-9]+==ERROR|libpop3 fuzz:|SUMMARY)' \
	        $(FUZZ_B)/findings/$$t/last-run.log; \
	    if [ $$rc -ne 0 ]; then status=1; echo "fuzz-run: $$t FOUND A PROBLEM (see $(FUZZ_B)/findings/$$t/)"; fi; \
	done; exit $$status

# Short fixed-time runs for CI: each target on a fresh copy of its seeds.
fuzz-smoke: $(FUZZ_BINS)
	@rm -rf $(FUZZ_B)/smoke
	@status=0; for t in $(FUZZ_TARGETS); do \
	    mkdir -p $(FUZZ_B)/smoke/$$t/corpus; \
	    cp fuzz/corpus/$$t/* $(FUZZ_B)/smoke/$$t/corpus/; \
	    echo "==== fuzz-smoke: $$t for $(FUZZ_SMOKE_SECONDS) s"; \
	    if $(FUZZ_ENV) $(FUZZ_B)/$$t $(FUZZ_LIBFUZZER_OPTS) -max_total_time=$(FUZZ_SMOKE_SECONDS) \
	        $(if $(FUZZ_SMOKE_SEED),-seed=$(FUZZ_SMOKE_SEED)) -artifact_prefix=$(FUZZ_B)/smoke/$$t/ $(FUZZ_B)/smoke/$$t/corpus \
	        > $(FUZZ_B)/smoke/$$t/log 2>&1; then \
	        grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added)' \
	            $(FUZZ_B)/smoke/$$t/log | tr '\n' ' '; echo; \
	    else \
	        status=1; tail -n 60 $(FUZZ_B)/smoke/$$t/log; \
	        grep -E '^(INFO: Seed:|libpop3 fuzz:|==[0-9]+==ERROR|SUMMARY)' $(FUZZ_B)/smoke/$$t/log; \
	        echo "fuzz-smoke: $$t: the same run again: make fuzz-smoke FUZZ_TARGETS=$$t FUZZ_SMOKE_SEED=$$(sed -n 's/^INFO: Seed: //p' $(FUZZ_B)/smoke/$$t/log | head -n 1)"; \
	        echo "fuzz-smoke: $$t FAILED: reproducer in $(FUZZ_B)/smoke/$$t/ (crash-*, timeout-*, oom-*)"; \
	    fi; \
	done; \
	if [ $$status -eq 0 ]; then echo "fuzz-smoke: $(words $(FUZZ_TARGETS)) passed, 0 failed"; \
	else echo "fuzz-smoke: FAILED"; fi; exit $$status

# ---------------------------------------------------------------------------
# AFL++ (stdin driver, persistent mode)

need-afl:
	@tests/need.sh afl++ \
	    'libpop3: make fuzz-afl needs AFL++: install afl++ (Debian/Ubuntu: apt-get install afl++)' \
	    sh -c 'command -v afl-fuzz && command -v afl-clang-fast'

# afl-clang-lto when it works here, else afl-clang-fast.
FUZZ_AFL_CC ?= $(shell for c in afl-clang-lto afl-clang-fast; do \
    if command -v $$c >/dev/null 2>&1 && echo 'int main(void){return 0;}' | \
       AFL_QUIET=1 $$c -x c -o /dev/null - >/dev/null 2>&1; then echo $$c; break; fi; done)

$(FUZZ_AFL_BINS): $(FUZZ_AFL_B)/%: fuzz/fuzz_%.c $(FUZZ_DEPS) | need-afl
	@mkdir -p $(@D)
	@if [ -z '$(FUZZ_AFL_CC)' ]; then echo 'libpop3: no working afl-clang-lto or afl-clang-fast' >&2; exit 1; fi
	AFL_USE_ASAN=1 AFL_USE_UBSAN=1 AFL_QUIET=1 $(FUZZ_AFL_CC) $(FUZZ_CPPFLAGS) $(FUZZ_CFLAGS) \
	    -DPOP3_FUZZ_MAIN -o $@ $< $(LIB_SRCS)

fuzz-afl: $(FUZZ_AFL_BINS)

fuzz-afl-run: $(FUZZ_AFL_B)/$(FUZZ_AFL_TARGET)
	@mkdir -p $(FUZZ_AFL_B)/out
	AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
	    afl-fuzz -i fuzz/corpus/$(FUZZ_AFL_TARGET) -o $(FUZZ_AFL_B)/out/$(FUZZ_AFL_TARGET) \
	    -x fuzz/pop3.dict -V $(or $(FUZZ_SECONDS),600) -- $(FUZZ_AFL_B)/$(FUZZ_AFL_TARGET)

# ---------------------------------------------------------------------------
# Replayers: the same harnesses with the stdin/file driver, for reproducing
# a finding without libFuzzer:  build/fuzz-replay/session crash-file

$(FUZZ_REPLAY_BINS): $(FUZZ_REPLAY_B)/%: fuzz/fuzz_%.c $(FUZZ_DEPS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CPPFLAGS) $(FUZZ_CFLAGS) $(FUZZ_SANITIZE) -DPOP3_FUZZ_MAIN \
	    -o $@ $< $(LIB_SRCS)

fuzz-replay: $(FUZZ_REPLAY_BINS)
	@for t in $(FUZZ_TARGETS); do \
	    echo "==== fuzz-replay: $$t over fuzz/corpus/$$t"; \
	    $(FUZZ_ENV) $(FUZZ_REPLAY_B)/$$t fuzz/corpus/$$t || exit 1; \
	done

fuzz-corpus:
	python3 fuzz/make-corpus.py

# ---------------------------------------------------------------------------
# Coverage (clang source-based coverage, llvm-profdata + llvm-cov)

LLVM_PROFDATA ?= $(shell for c in llvm-profdata llvm-profdata-14 llvm-profdata-15 llvm-profdata-16; do \
    command -v $$c >/dev/null 2>&1 && { echo $$c; break; }; done)
LLVM_COV ?= $(shell for c in llvm-cov llvm-cov-14 llvm-cov-15 llvm-cov-16; do \
    command -v $$c >/dev/null 2>&1 && { echo $$c; break; }; done)
COV_FLAGS := -fprofile-instr-generate -fcoverage-mapping

need-llvm-cov:
	@tests/need.sh llvm \
	    'libpop3: make coverage needs llvm-profdata and llvm-cov: install llvm (Debian/Ubuntu: apt-get install llvm)' \
	    sh -c 'command -v llvm-profdata || command -v llvm-profdata-14'

coverage: coverage-tests coverage-fuzz
	@echo
	@echo "==== coverage of lib/ (clang source-based: lines, branches)"
	@fuzz/coverage-table.sh $(FUZZ_COV_B)/tests/report.txt $(FUZZ_COV_B)/fuzz/report.txt

# The test suite, rebuilt with coverage in build/coverage/tests/.
coverage-tests: need-libfuzzer need-llvm-cov
	$(MAKE) --no-print-directory B=$(FUZZ_COV_B)/tests CC=$(FUZZ_CC) POP3_OPT='-O0 -g' \
	    POP3_SAN='$(COV_FLAGS)' tests
	@rm -rf $(FUZZ_COV_B)/tests/prof && mkdir -p $(FUZZ_COV_B)/tests/prof
	@$(TEST_ENV) LLVM_PROFILE_FILE=$(FUZZ_COV_B)/tests/prof/%p.profraw \
	    $(RUN_TESTS) -l coverage-tests $(TEST_SRCS:tests/%.c=$(FUZZ_COV_B)/tests/tests/%) \
	    > $(FUZZ_COV_B)/tests/run.log 2>&1 || { tail -n 30 $(FUZZ_COV_B)/tests/run.log; \
	    echo 'coverage-tests: some tests failed (coverage still reported)'; }
	@tail -n 1 $(FUZZ_COV_B)/tests/run.log
	@$(LLVM_PROFDATA) merge -sparse -o $(FUZZ_COV_B)/tests/all.profdata $(FUZZ_COV_B)/tests/prof/*.profraw
	@first=; objs=; for b in $(TEST_SRCS:tests/%.c=$(FUZZ_COV_B)/tests/tests/%); do \
	    if [ -z "$$first" ]; then first=$$b; else objs="$$objs -object $$b"; fi; done; \
	$(LLVM_COV) report $$first $$objs -instr-profile=$(FUZZ_COV_B)/tests/all.profdata \
	    $(LIB_SRCS) > $(FUZZ_COV_B)/tests/report.txt; \
	$(LLVM_COV) show $$first $$objs -instr-profile=$(FUZZ_COV_B)/tests/all.profdata \
	    -show-branches=count -format=html -output-dir=$(FUZZ_COV_B)/tests/html $(LIB_SRCS)

# The fuzz corpora replayed through the harnesses built with coverage.
coverage-fuzz: need-libfuzzer need-llvm-cov
	@rm -rf $(FUZZ_COV_B)/fuzz && mkdir -p $(FUZZ_COV_B)/fuzz/prof
	@for t in $(FUZZ_TARGETS); do \
	    $(FUZZ_CC) $(FUZZ_CPPFLAGS) -std=c11 -g -O0 $(COV_FLAGS) -DPOP3_FUZZ_MAIN \
	        -o $(FUZZ_COV_B)/fuzz/$$t fuzz/fuzz_$$t.c $(LIB_SRCS) || exit 1; \
	    corpus=fuzz/corpus/$$t; \
	    if [ -n '$(FUZZ_COV_CORPUS)' ] && [ -d '$(FUZZ_COV_CORPUS)'/$$t ]; then corpus='$(FUZZ_COV_CORPUS)'/$$t; fi; \
	    bad=0; for f in $$corpus/*; do \
	        LLVM_PROFILE_FILE=$(FUZZ_COV_B)/fuzz/prof/$$t-%p.profraw $(FUZZ_COV_B)/fuzz/$$t $$f \
	            >/dev/null 2>&1 || bad=$$((bad + 1)); \
	    done; \
	    echo "coverage-fuzz: replayed $$corpus ($$(ls $$corpus | wc -l) inputs, $$bad failing: open findings)"; \
	done
	@$(LLVM_PROFDATA) merge -sparse -o $(FUZZ_COV_B)/fuzz/all.profdata $(FUZZ_COV_B)/fuzz/prof/*.profraw
	@first=; objs=; for t in $(FUZZ_TARGETS); do \
	    if [ -z "$$first" ]; then first=$(FUZZ_COV_B)/fuzz/$$t; else objs="$$objs -object $(FUZZ_COV_B)/fuzz/$$t"; fi; done; \
	$(LLVM_COV) report $$first $$objs -instr-profile=$(FUZZ_COV_B)/fuzz/all.profdata \
	    $(LIB_SRCS) > $(FUZZ_COV_B)/fuzz/report.txt; \
	$(LLVM_COV) show $$first $$objs -instr-profile=$(FUZZ_COV_B)/fuzz/all.profdata \
	    -show-branches=count -format=html -output-dir=$(FUZZ_COV_B)/fuzz/html $(LIB_SRCS)
