# docs/docs.mk - the documentation: generated files and their checks.
# Included by the top-level Makefile.
#
#   make docs         regenerate docs/man/*.3 (from include/pop3.h) and
#                     docs/diagrams/*.svg and *.trace (from the engine); the
#                     results are committed
#   make check-docs   fail if any of them is out of date, if an exported
#                     function has no man page, if a code block of the guides
#                     does not compile (or its program does not run), or if
#                     docs/conformance.md names a test that does not exist
#
# Tools: Python 3 (standard library) for the man pages; the diagrams are
# drawn by small C programs (docs/tools/states2svg.c, examples/trace2svg.c,
# examples/trace_demo.c): no Graphviz, no network.

PYTHON ?= python3
DOCS_B := $(B)/docs
STATES2SVG := $(DOCS_B)/states2svg
TRACE_DEMO := $(B)/examples/trace_demo
TRACE2SVG := $(B)/examples/trace2svg
DOCS_TOOLS := $(STATES2SVG) $(TRACE_DEMO) $(TRACE2SVG)
DOCS_ENV = PYTHON='$(PYTHON)' STATES2SVG='$(STATES2SVG)' \
	   TRACE_DEMO='$(TRACE_DEMO)' TRACE2SVG='$(TRACE2SVG)'

$(STATES2SVG): docs/tools/states2svg.c include/pop3.h $(STATIC_LIB) $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(EXAMPLE_CPPFLAGS) $(EXAMPLE_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(STATIC_LIB)

.PHONY: docs
docs: $(DOCS_TOOLS)
	$(DOCS_ENV) sh docs/tools/gen.sh docs

.PHONY: check-docs
check-docs: all $(DOCS_TOOLS)
	@echo "==== check-docs"
	@$(DOCS_ENV) B='$(B)' CC='$(CC)' NM='$(NM)' MAKE='$(MAKE)' \
	    PKG_CONFIG='$(PKG_CONFIG)' sh tests/test_docs.sh
