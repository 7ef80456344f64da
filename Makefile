# libpop3 - GNU make build.  See README.md.
#
#   make                  build/libpop3.a and build/libpop3.so.X.Y.Z (+ symlinks)
#   make check            build and run the cmocka tests (installs cmocka if missing
#                         and root with apt-get), check the shared library's exports
#   make check-asan       the same, rebuilt in build/asan/ with ASan + UBSan
#   make check-valgrind   the tests under valgrind (POP3_TEST_QUICK=1)
#   make examples         build/examples/* from examples/*.c, and build/examples/pop3d
#   make demo             run pop3d on 127.0.0.1:1110 over a copy of the sample Maildir
#   make check-interop    pop3d driven by curl, Python's poplib, mpop and
#                         fetchmail (part of check)
#   make bench            benchmarks (+ bench-compare, bench-plots: tests/bench/bench.mk)
#   make install          PREFIX, LIBDIR, INCLUDEDIR, MANDIR, PKGCONFIGDIR, DESTDIR
#   make uninstall        remove exactly what install put
#   make clean
#
# The user's CPPFLAGS, CFLAGS and LDFLAGS are appended to ours; CC=clang works.

.DEFAULT_GOAL := all
.SUFFIXES:
.DELETE_ON_ERROR:

# ---------------------------------------------------------------------------
# Version: read from the one place it lives, include/pop3.h.

version_of = $(shell sed -n 's/^\#[[:space:]]*define[[:space:]]\{1,\}POP3_VERSION_$(1)[[:space:]]\{1,\}\([0-9]\{1,\}\).*/\1/p' include/pop3.h)
MAJOR := $(call version_of,MAJOR)
MINOR := $(call version_of,MINOR)
PATCH := $(call version_of,PATCH)
ifeq ($(MAJOR)$(MINOR)$(PATCH),)
$(error libpop3: cannot read POP3_VERSION_MAJOR/MINOR/PATCH from include/pop3.h)
endif
VERSION := $(MAJOR).$(MINOR).$(PATCH)

# ---------------------------------------------------------------------------
# Tools, directories, flags.

CC ?= cc
AR ?= ar
NM ?= nm
INSTALL ?= install
VALGRIND ?= valgrind
PKG_CONFIG ?= pkg-config

PREFIX ?= /usr/local
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR ?= $(PREFIX)/share/man
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
DESTDIR ?=

# Build directory.  check-asan re-runs make with B=build/asan.
B ?= build
# Optimisation/debug and sanitizer flags of this build variant.
POP3_OPT ?= -O2 -g
POP3_SAN ?=
# Seconds one test program may run before it counts as failed (0: no limit).
TEST_TIMEOUT ?= 600

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes
BASE_CFLAGS = -std=c11 $(POP3_OPT) $(POP3_SAN) $(WARN)

LIB_CPPFLAGS = -Iinclude $(CPPFLAGS)
LIB_CFLAGS = $(BASE_CFLAGS) -Wmissing-prototypes -fPIC -fvisibility=hidden $(CFLAGS)
# Tests may use the private headers (lib/*.h) and tests/support/*.h.
TEST_CPPFLAGS = -Iinclude -Ilib -Itests/support $(CPPFLAGS)
TEST_CFLAGS = $(BASE_CFLAGS) $(CFLAGS)
# Examples use the public header only.
EXAMPLE_CPPFLAGS = -Iinclude $(CPPFLAGS)
EXAMPLE_CFLAGS = $(BASE_CFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(LDFLAGS)
DEPFLAGS = -MMD -MP

# cmocka: pkg-config if it knows it, else plain -lcmocka.  Expanded only when
# a test is compiled or linked, i.e. after need-cmocka has run.
CMOCKA_CFLAGS = $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)
CMOCKA_LIBS = $(or $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null),-lcmocka)

# ---------------------------------------------------------------------------
# Files.

LIB_SRCS := $(sort $(wildcard lib/*.c))
LIB_HDRS := include/pop3.h $(wildcard lib/*.h)
TEST_SRCS := $(sort $(wildcard tests/test_*.c))
SUPPORT_SRCS := $(sort $(wildcard tests/support/*.c))
EXAMPLE_SRCS := $(sort $(wildcard examples/*.c))
POP3D_SRCS := $(sort $(wildcard examples/pop3d/*.c))
BENCH_SRCS := $(sort $(wildcard tests/bench/*.c))
MAN_PAGES := $(sort $(wildcard docs/man/*.3))

LIB_OBJS := $(LIB_SRCS:%.c=$(B)/obj/%.o)
SUPPORT_OBJS := $(SUPPORT_SRCS:%.c=$(B)/obj/%.o)
TEST_OBJS := $(TEST_SRCS:%.c=$(B)/obj/%.o)
TEST_BINS := $(TEST_SRCS:tests/%.c=$(B)/tests/%)
EXAMPLE_OBJS := $(EXAMPLE_SRCS:%.c=$(B)/obj/%.o)
EXAMPLE_BINS := $(EXAMPLE_SRCS:examples/%.c=$(B)/examples/%)
POP3D_OBJS := $(POP3D_SRCS:%.c=$(B)/obj/%.o)
POP3D_BIN := $(if $(POP3D_SRCS),$(B)/examples/pop3d)
BENCH_OBJS := $(BENCH_SRCS:%.c=$(B)/obj/%.o)
BENCH_BINS := $(BENCH_SRCS:tests/bench/%.c=$(B)/bench/%)

STATIC_LIB := $(B)/libpop3.a
SO_REAL := libpop3.so.$(VERSION)
SO_NAME := libpop3.so.$(MAJOR)
SO_LINK := libpop3.so
SHARED_LIB := $(B)/$(SO_REAL)

ASAN_B := build/asan
ASAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

# Environment of every test run (from the repository root).
TEST_ENV := POP3_TRANSCRIPTS=tests/transcripts
RUN_TESTS := tests/run-tests.sh -t $(TEST_TIMEOUT)

# ---------------------------------------------------------------------------
# Rebuild everything when the compiler or flags change (e.g. CC=clang after a
# gcc build): $(B)/.flags holds the last ones; it is remade when they differ.

FLAGS_NOW := $(strip $(CC) | $(LIB_CPPFLAGS) | $(LIB_CFLAGS) | $(TEST_CPPFLAGS) | $(TEST_CFLAGS) | $(ALL_LDFLAGS))
FLAGS_STAMP := $(B)/.flags
ifneq ($(strip $(file <$(FLAGS_STAMP))),$(FLAGS_NOW))
.PHONY: $(FLAGS_STAMP)
endif
$(FLAGS_STAMP):
	@mkdir -p $(@D)
	@printf '%s\n' '$(subst ','\'',$(FLAGS_NOW))' > $@

# ---------------------------------------------------------------------------
# Library.

.PHONY: all
all: $(STATIC_LIB) $(SHARED_LIB) $(B)/$(SO_NAME) $(B)/$(SO_LINK)

$(LIB_OBJS): $(B)/obj/%.o: %.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(LIB_CPPFLAGS) $(LIB_CFLAGS) $(DEPFLAGS) -c -o $@ $<

$(STATIC_LIB): $(LIB_OBJS) | need-sources
	@rm -f $@
	$(AR) rcs $@ $(LIB_OBJS)

$(SHARED_LIB): $(LIB_OBJS) | need-sources
	$(CC) $(LIB_CFLAGS) -shared -Wl,-soname,$(SO_NAME) $(ALL_LDFLAGS) -o $@ $(LIB_OBJS)

$(B)/$(SO_NAME): $(SHARED_LIB)
	ln -sf $(SO_REAL) $@

$(B)/$(SO_LINK): $(B)/$(SO_NAME)
	ln -sf $(SO_NAME) $@

.PHONY: need-sources
need-sources:
	@if [ -z "$(LIB_SRCS)" ]; then echo "libpop3: no library sources (lib/*.c)" >&2; exit 1; fi

# ---------------------------------------------------------------------------
# Tests.

.PHONY: need-cmocka
need-cmocka:
	@mkdir -p $(B)/probe
	@printf '%s\n' '#include <stdarg.h>' '#include <stddef.h>' '#include <stdint.h>' \
	    '#include <setjmp.h>' '#include <cmocka.h>' \
	    'static void t(void **state) { (void)state; }' \
	    'int main(void) { const struct CMUnitTest ts[] = { cmocka_unit_test(t) };' \
	    '    return cmocka_run_group_tests(ts, NULL, NULL); }' > $(B)/probe/cmocka.c
	@tests/need.sh libcmocka-dev \
	    'libpop3: cmocka is required for the tests: install libcmocka-dev (Debian/Ubuntu) or cmocka-devel' \
	    $(CC) $(CPPFLAGS) $(CMOCKA_CFLAGS) $(CFLAGS) -o $(B)/probe/cmocka $(B)/probe/cmocka.c $(LDFLAGS) $(CMOCKA_LIBS)

.PHONY: need-valgrind
need-valgrind:
	@tests/need.sh valgrind \
	    'libpop3: valgrind is required for make check-valgrind: install valgrind' \
	    $(VALGRIND) --version

$(TEST_OBJS) $(SUPPORT_OBJS): $(B)/obj/%.o: %.c $(FLAGS_STAMP) | need-cmocka
	@mkdir -p $(@D)
	$(CC) $(TEST_CPPFLAGS) $(CMOCKA_CFLAGS) $(TEST_CFLAGS) $(DEPFLAGS) -c -o $@ $<

$(TEST_BINS): $(B)/tests/%: $(B)/obj/tests/%.o $(SUPPORT_OBJS) $(STATIC_LIB)
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(SUPPORT_OBJS) $(STATIC_LIB) $(CMOCKA_LIBS)

.PHONY: tests
tests: $(TEST_BINS)

.PHONY: check
check: all examples tests check-docs check-interop
	@echo "==== check-exports"
	NM='$(NM)' tests/check-exports.sh $(B)/$(SO_LINK) include/pop3.h
	@echo "==== check: running $(words $(TEST_BINS)) test programs"
	@$(TEST_ENV) $(RUN_TESTS) -l check $(TEST_BINS)

# The same library and tests rebuilt in build/asan/ with ASan + UBSan.  If
# LeakSanitizer cannot run here (e.g. under ptrace), leaks are not checked.
.PHONY: check-asan
check-asan:
	$(MAKE) B=$(ASAN_B) POP3_OPT='-O1 -g' POP3_SAN='$(ASAN_FLAGS)' tests
	@mkdir -p $(ASAN_B)/probe
	@printf '%s\n' '#include <stdlib.h>' \
	    'int main(void) { void *volatile p = malloc(16); free(p); return 0; }' > $(ASAN_B)/probe/lsan.c
	@$(CC) -fsanitize=address -o $(ASAN_B)/probe/lsan $(ASAN_B)/probe/lsan.c
	@if ASAN_OPTIONS=detect_leaks=1 $(ASAN_B)/probe/lsan >/dev/null 2>&1; then \
	    leaks=1; \
	else \
	    leaks=0; echo "libpop3: LeakSanitizer does not work here (ptrace?): running with detect_leaks=0"; \
	fi; \
	echo "==== check-asan: running $(words $(TEST_BINS)) test programs"; \
	$(TEST_ENV) ASAN_OPTIONS=detect_leaks=$$leaks \
	    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	    $(RUN_TESTS) -l check-asan $(TEST_BINS:$(B)/%=$(ASAN_B)/%)

.PHONY: check-valgrind
check-valgrind: need-valgrind tests
	@echo "==== check-valgrind: running $(words $(TEST_BINS)) test programs"
	@$(TEST_ENV) POP3_TEST_QUICK=1 $(RUN_TESTS) -l check-valgrind \
	    -w '$(VALGRIND) --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --quiet' \
	    $(TEST_BINS)

# ---------------------------------------------------------------------------
# Examples and benchmarks (linked with the static library).

$(EXAMPLE_OBJS): $(B)/obj/%.o: %.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(EXAMPLE_CPPFLAGS) $(EXAMPLE_CFLAGS) $(DEPFLAGS) -c -o $@ $<

$(EXAMPLE_BINS): $(B)/examples/%: $(B)/obj/examples/%.o $(STATIC_LIB)
	@mkdir -p $(@D)
	$(CC) $(EXAMPLE_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(STATIC_LIB)

.PHONY: examples
examples: $(EXAMPLE_BINS) $(POP3D_BIN)
ifeq ($(EXAMPLE_SRCS),)
	@echo "libpop3: no examples (examples/*.c) to build"
endif

# pop3d: a multi-file example in examples/pop3d/.  examples/pop3d/probe.sh
# decides what it can use: OpenSSL through pkg-config (POP3D_TLS=auto, the
# default; yes: required; no: build without TLS) and crypt(3).  Its answers
# go to $(B)/pop3d/{config.h,cflags,libs}.
POP3D_TLS ?= auto
POP3D_CONF := $(B)/pop3d
POP3D_MODE_STAMP := $(POP3D_CONF)/tls-mode

ifneq ($(strip $(file <$(POP3D_MODE_STAMP))),$(POP3D_TLS))
.PHONY: $(POP3D_MODE_STAMP)
endif
$(POP3D_MODE_STAMP):
	@mkdir -p $(@D)
	@printf '%s\n' '$(POP3D_TLS)' > $@

$(POP3D_CONF)/probe.stamp: examples/pop3d/probe.sh $(POP3D_MODE_STAMP) $(FLAGS_STAMP)
	@CC='$(CC)' PKG_CONFIG='$(PKG_CONFIG)' POP3D_TLS='$(POP3D_TLS)' \
	    CFLAGS='$(CFLAGS)' LDFLAGS='$(LDFLAGS)' sh examples/pop3d/probe.sh $(POP3D_CONF)
	@touch $@

# config.h changes only when the answers do; objects follow its date.
$(POP3D_CONF)/config.h: $(POP3D_CONF)/probe.stamp ;

$(POP3D_OBJS): $(B)/obj/%.o: %.c $(POP3D_CONF)/config.h $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(EXAMPLE_CPPFLAGS) -I$(POP3D_CONF) $$(cat $(POP3D_CONF)/cflags) \
	    $(EXAMPLE_CFLAGS) $(DEPFLAGS) -c -o $@ $<

$(POP3D_BIN): $(POP3D_OBJS) $(STATIC_LIB) $(POP3D_CONF)/config.h
	@mkdir -p $(@D)
	$(CC) $(EXAMPLE_CFLAGS) $(ALL_LDFLAGS) -o $@ $(POP3D_OBJS) $(STATIC_LIB) \
	    $$(cat $(POP3D_CONF)/libs)

# The demo: pop3d on 127.0.0.1:1110 over a temporary copy of
# tests/maildir-sample (never modified); Ctrl-C stops it.
.PHONY: demo
demo: $(POP3D_BIN)
	@sh examples/pop3d/demo.sh $(POP3D_BIN)

# Interoperability: curl and Python's poplib against pop3d on loopback.
# The last line is "interop: N passed, N failed".
.PHONY: check-interop
check-interop: $(POP3D_BIN)
	@echo "==== check-interop"
	@tests/interop/run.sh $(POP3D_BIN)

$(BENCH_OBJS): $(B)/obj/%.o: %.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(TEST_CPPFLAGS) $(TEST_CFLAGS) $(DEPFLAGS) -c -o $@ $<

$(BENCH_BINS): $(B)/bench/%: $(B)/obj/tests/bench/%.o $(STATIC_LIB)
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(STATIC_LIB)

-include tests/bench/bench.mk

# ---------------------------------------------------------------------------
# Install.  pop3.pc expresses LIBDIR/INCLUDEDIR relative to the prefix when
# they lie under it.

PC_LIBDIR = $(patsubst $(PREFIX)/%,$${exec_prefix}/%,$(LIBDIR))
PC_INCLUDEDIR = $(patsubst $(PREFIX)/%,$${prefix}/%,$(INCLUDEDIR))

.PHONY: install
install: all
	$(INSTALL) -d '$(DESTDIR)$(INCLUDEDIR)' '$(DESTDIR)$(LIBDIR)' '$(DESTDIR)$(PKGCONFIGDIR)'
	$(INSTALL) -m 644 include/pop3.h '$(DESTDIR)$(INCLUDEDIR)/pop3.h'
	$(INSTALL) -m 644 $(STATIC_LIB) '$(DESTDIR)$(LIBDIR)/libpop3.a'
	$(INSTALL) -m 755 $(SHARED_LIB) '$(DESTDIR)$(LIBDIR)/$(SO_REAL)'
	ln -sf $(SO_REAL) '$(DESTDIR)$(LIBDIR)/$(SO_NAME)'
	ln -sf $(SO_NAME) '$(DESTDIR)$(LIBDIR)/$(SO_LINK)'
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(PC_LIBDIR)|g' \
	    -e 's|@INCLUDEDIR@|$(PC_INCLUDEDIR)|g' -e 's|@VERSION@|$(VERSION)|g' \
	    pop3.pc.in > $(B)/pop3.pc
	$(INSTALL) -m 644 $(B)/pop3.pc '$(DESTDIR)$(PKGCONFIGDIR)/pop3.pc'
ifneq ($(MAN_PAGES),)
	$(INSTALL) -d '$(DESTDIR)$(MANDIR)/man3'
	$(INSTALL) -m 644 $(MAN_PAGES) '$(DESTDIR)$(MANDIR)/man3/'
endif
	@if [ -z '$(DESTDIR)' ] && [ "$$(id -u)" = 0 ] && command -v ldconfig >/dev/null 2>&1; then \
	    ldconfig || true; fi

.PHONY: uninstall
uninstall:
	rm -f '$(DESTDIR)$(INCLUDEDIR)/pop3.h'
	rm -f '$(DESTDIR)$(LIBDIR)/libpop3.a' '$(DESTDIR)$(LIBDIR)/$(SO_REAL)' \
	    '$(DESTDIR)$(LIBDIR)/$(SO_NAME)' '$(DESTDIR)$(LIBDIR)/$(SO_LINK)'
	rm -f '$(DESTDIR)$(PKGCONFIGDIR)/pop3.pc'
ifneq ($(MAN_PAGES),)
	for m in $(notdir $(MAN_PAGES)); do rm -f "$(DESTDIR)$(MANDIR)/man3/$$m"; done
endif

# ---------------------------------------------------------------------------

.PHONY: clean
clean:
	rm -rf build

-include $(LIB_OBJS:.o=.d) $(TEST_OBJS:.o=.d) $(SUPPORT_OBJS:.o=.d) \
	 $(EXAMPLE_OBJS:.o=.d) $(BENCH_OBJS:.o=.d) $(POP3D_OBJS:.o=.d)

# Fuzzing and coverage targets (make fuzz, fuzz-smoke, fuzz-afl, coverage):
# see docs/fuzzing.md.
-include fuzz/fuzz.mk
-include docs/docs.mk
