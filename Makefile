# juesuan — GNU Make build. Targets: all check lint fuzz bench install clean.
# Variables: CC, SANITIZE=address,undefined, WERROR=1, V=1, PREFIX, FUZZ_SECONDS.

CC       ?= cc
PREFIX   ?= /usr/local
SANITIZE ?=
WERROR   ?=
FUZZ_SECONDS ?= 20

BUILD := build$(if $(SANITIZE),-san)$(if $(filter clang%,$(notdir $(CC))),-clang)

ifeq ($(V),1)
Q :=
else
Q := @
endif

# The program links the core libraries; pango and cairo only go into the PDF
# plugin (juesuan-pdf.so, loaded when a PDF is written: lib/document/pdf_plugin.c),
# the store's and the server's libraries into the portal plugin
# (juesuan-portal.so, loaded by serve, user, dept and log: src/cli/portal.c).
# The libraries libjuesuan.a/.so hold everything but the PDF renderer.
CORE_PKGS   := jansson expat zlib libdeflate libutf8proc freexl
PORTAL_PKGS := sqlite3 libpq libsodium libmicrohttpd
PKGS      := $(CORE_PKGS) $(PORTAL_PKGS)
PDF_PKGS  := pangocairo cairo-pdf
PDF_PKGS  += pangoft2 fontconfig
PKG_CFLAGS := $(patsubst -I%,-isystem %,$(shell pkg-config --cflags $(PKGS) $(PDF_PKGS)))
# GLPK (the audit's exact consistency check of printed tables) is loaded
# when that check first runs (lib/audit/consistency_lp.c), by its soname.
GLPK_SONAME := $(shell objdump -p $(shell $(CC) -print-file-name=libglpk.so) 2>/dev/null | sed -n 's/^ *SONAME *//p')
CORE_LIBS  := $(shell pkg-config --libs $(CORE_PKGS))
PORTAL_LIBS := $(shell pkg-config --libs $(PORTAL_PKGS))
PKG_LIBS   := $(CORE_LIBS) $(PORTAL_LIBS)
PDF_LIBS   := $(shell pkg-config --libs $(PDF_PKGS))

CFLAGS  ?= -O2 -g
# -fPIC: the same objects make the static and the shared library.
CFLAGS  += -fPIC -std=c11 -pthread -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wshadow -Wstrict-prototypes \
           -Wformat=2 -Wno-format-nonliteral -Iinclude $(PKG_CFLAGS) \
           $(if $(GLPK_SONAME),-DJS_GLPK_SONAME='"$(GLPK_SONAME)"') \
           -DJUESUAN_DATADIR='"$(PREFIX)/share/juesuan"' -DJUESUAN_LIBDIR='"$(PREFIX)/lib/juesuan"'
ifneq ($(WERROR),)
CFLAGS  += -Werror
endif
ifneq ($(SANITIZE),)
CFLAGS  += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=$(SANITIZE)
endif
SYS_LIBS := -lm -pthread -ldl
LDLIBS  += $(PKG_LIBS) $(SYS_LIBS)
# Programs export their symbols: the PDF plugin calls back into the engine.
LDFLAGS += -rdynamic

# lib/ is one folder per stage of the pipeline (docs/architecture.md).
LIB_DIRS := $(sort $(dir $(wildcard lib/*/*.c lib/*/*.h)))
LIB_INC  := $(patsubst %/,-I%,$(LIB_DIRS))
LIB_HDR  := $(wildcard include/juesuan/*.h lib/*/*.h)
PLUGIN_SRC := lib/document/render_pdf.c lib/document/pdf_fonts.c
LIB_SRC := $(filter-out $(PLUGIN_SRC),$(wildcard lib/*/*.c))
CLI_SRC := $(wildcard src/cli/*.c)
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
LIB     := $(BUILD)/libjuesuan.a
# The portal plugin: the store, the server and the commands that use them.
PORTAL_SRC := $(filter lib/store/% lib/serve/%,$(LIB_SRC)) \
              $(addprefix src/cli/,cmd_serve.c cmd_user.c cmd_dept.c cmd_log.c store_args.c)
PORTAL_OBJ := $(PORTAL_SRC:%.c=$(BUILD)/%.o)
CORE_OBJ   := $(filter-out $(PORTAL_OBJ),$(LIB_OBJ) $(CLI_OBJ))
PORTAL  := $(BUILD)/juesuan-portal.so
VERSION := $(shell sed -n 's/^\#define JUESUAN_VERSION "\(.*\)"/\1/p' include/juesuan/juesuan.h)
SONAME  := libjuesuan.so.0
SHLIB   := $(BUILD)/$(SONAME)
BIN     := $(BUILD)/juesuan
PLUGIN  := $(BUILD)/juesuan-pdf.so

UNIT_SRC  := $(wildcard tests/unit/test_*.c)
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRC  := $(wildcard fuzz/fuzz_*.c)
FUZZ_NAMES := $(FUZZ_SRC:fuzz/%.c=%)
REPLAY_BIN := $(FUZZ_NAMES:%=$(BUILD)/replay/%)
BENCH_SRC := $(wildcard bench/bench_*.c)
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

.PHONY: all check unit replays lint fuzz bench bench-portal install clean valgrind tsan
all: $(BIN) $(PLUGIN) $(PORTAL) $(SHLIB) $(BUILD)/bench/gen

$(BUILD)/%.o: %.c $(LIB_HDR) $(wildcard src/cli/*.h) Makefile
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) $(LIB_INC) -c $< -o $@

$(LIB): $(LIB_OBJ)
	$(Q)rm -f $@ && ar rcs $@ $^

# The shared library beside the static one (pkg-config juesuan).
$(SHLIB): $(LIB_OBJ)
	$(if $(Q),@echo "  SHLIB   $@")
	$(Q)$(CC) -shared -Wl,-soname,$(SONAME) $(filter-out -rdynamic,$(LDFLAGS)) -o $@ $(LIB_OBJ) $(LDLIBS)

# Every core object (the plugins may call any engine function) and the core
# libraries only.
$(BIN): $(CORE_OBJ)
	$(if $(Q),@echo "  LINK    $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $(CORE_OBJ) $(CORE_LIBS) $(SYS_LIBS)

# The store and the server resolve the engine's functions in the program.
$(PORTAL): $(PORTAL_OBJ)
	$(if $(Q),@echo "  PLUGIN  $@")
	$(Q)$(CC) -shared $(filter-out -rdynamic,$(LDFLAGS)) -o $@ $(PORTAL_OBJ) $(PORTAL_LIBS)

$(PLUGIN): $(PLUGIN_SRC) $(LIB_HDR)
	$(if $(Q),@echo "  PLUGIN  $@")
	$(Q)$(CC) $(CFLAGS) $(LIB_INC) -fPIC -shared $(filter-out -rdynamic,$(LDFLAGS)) -o $@ $(PLUGIN_SRC) $(PDF_LIBS)

# report.pdf's fonts without CFF subroutines, used by the plugin from fonts/
# beside it (lib/document/pdf_fonts.h, docs/output.md): derived from the
# installed fonts once into build/fonts for every build variant (about 3
# minutes of CPU), again when scripts/derive-font.py or the font changes.
PDF_FONTS := build/fonts/NotoSerifCJKsc-Regular.otf build/fonts/NotoSansCJKsc-Regular.otf
all check bench install: $(PDF_FONTS) $(if $(filter-out build,$(BUILD)),$(BUILD)/fonts)
build/fonts/NotoSerifCJKsc-Regular.otf: scripts/derive-font.py $(shell fc-match -f '%{file}' 'Noto Serif CJK SC' 2>/dev/null)
	$(if $(Q),@echo "  FONT    $@")
	$(Q)scripts/derive-font.py 'Noto Serif CJK SC' $@ > /dev/null
build/fonts/NotoSansCJKsc-Regular.otf: scripts/derive-font.py $(shell fc-match -f '%{file}' 'Noto Sans CJK SC' 2>/dev/null)
	$(if $(Q),@echo "  FONT    $@")
	$(Q)scripts/derive-font.py 'Noto Sans CJK SC' $@ > /dev/null
$(BUILD)/fonts:
	@mkdir -p $(BUILD) && ln -sfn $(abspath build/fonts) $@

$(BUILD)/tests/%: tests/unit/%.c tests/unit/tap.h $(LIB)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) $(LIB_INC) -Itests/unit $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

# Fuzz targets replayed over their corpora with a plain main (any compiler).
$(BUILD)/replay/%: fuzz/%.c fuzz/replay.c $(LIB)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) $(LIB_INC) $(LDFLAGS) -o $@ $< fuzz/replay.c $(LIB) $(LDLIBS)

# cairo's floor under report.pdf: a replayer of cairo-trace recordings.
$(BUILD)/bench/pdf_floor: bench/pdf_floor.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -o $@ $< $(LDFLAGS) $(PDF_LIBS) -lcairo-script-interpreter

$(BUILD)/bench/%: bench/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) $(LIB_INC) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

unit: $(UNIT_BIN)

# The fuzz targets' replayers and the benchmarks (lint builds them too).
replays: $(REPLAY_BIN) $(BENCH_BIN)

# The whole suite under prove (TAP): unit binaries, fuzz corpus replays and
# the script tests in tests/*.t (tests/mutation.t drives audit_lines, a
# helper built from tests/unit/audit_lines.c).
check: $(BIN) $(PLUGIN) $(PORTAL) $(SHLIB) $(UNIT_BIN) $(REPLAY_BIN) $(BUILD)/bench/gen $(BUILD)/tests/audit_lines
	JUESUAN=$(abspath $(BIN)) JUESUAN_BUILD=$(abspath $(BUILD)) JUESUAN_DATA=$(abspath data) \
	  JUESUAN_SANITIZE=$(SANITIZE) \
	  JUESUAN_GEN=$(abspath $(BUILD)/bench/gen) \
	  LSAN_OPTIONS=suppressions=$(abspath tests/lsan.supp):print_suppressions=0 \
	  prove --exec '' $(UNIT_BIN) tests/*.t

# The threaded paths (batch mode, halves of a big sheet, tables.xlsx beside
# the other outputs, two stores approving at once, .xls departments read and
# their PDFs rendered on two threads at once) under ThreadSanitizer.
tsan:
	$(MAKE) --no-print-directory SANITIZE=thread BUILD=build-tsan all build-tsan/bench/gen build-tsan/tests/test_store
	TSAN_OPTIONS=suppressions=$(abspath tests/tsan.supp):halt_on_error=1 build-tsan/tests/test_store > /dev/null
	JUESUAN=$(abspath build-tsan/juesuan) JUESUAN_DATA=$(abspath data) JUESUAN_GEN=$(abspath build-tsan/bench/gen) \
	  TSAN_OPTIONS=suppressions=$(abspath tests/tsan.supp):halt_on_error=1 prove tests/batch.t tests/scale.t tests/batch_xls.t

valgrind: $(BIN) $(PLUGIN) $(PORTAL)
	valgrind --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect \
	  $(BIN) tables examples/qingshan-2024 --format json > /dev/null

lint:
	$(MAKE) --no-print-directory CC=clang WERROR=1 BUILD=build-lint-clang all unit replays
	$(MAKE) --no-print-directory CC=gcc WERROR=1 BUILD=build-lint-gcc all unit replays
	cppcheck --quiet --error-exitcode=1 --std=c11 --enable=warning,portability \
	  --inline-suppr --include=/usr/include/jansson.h -Iinclude $(LIB_INC) lib src/cli

# libFuzzer (clang): each target runs FUZZ_SECONDS, growing fuzz/corpus/<name>,
# with a max_len that fits its largest seed (at least 64 KB), and prints its
# executions and edges (the log is build-fuzz/<name>.log). The targets of
# FUZZ_TIMED run with -timeout=5: an input slower than that is a finding
# (rendering that grows faster than its input). Some targets only:
# make fuzz FUZZ_NAMES="fuzz_outset fuzz_render".
FUZZ_TIMED := fuzz_render
fuzz:
	@mkdir -p build-fuzz
	@for t in $(FUZZ_NAMES); do \
	  echo "  FUZZ    $$t"; \
	  clang -g -O1 -std=c11 -D_POSIX_C_SOURCE=200809L -Iinclude $(LIB_INC) $(PKG_CFLAGS) \
	    -fsanitize=fuzzer,address,undefined -o build-fuzz/$$t fuzz/$$t.c $(LIB_SRC) $(PKG_LIBS) -lm -pthread -ldl \
	    || exit 1; \
	  mkdir -p fuzz/corpus/$$t; \
	  ml=$$(find fuzz/corpus/$$t -type f -printf '%s\n' | sort -n | tail -1); \
	  [ "$${ml:-0}" -ge 65536 ] || ml=65536; \
	  to=; case " $(FUZZ_TIMED) " in *" $$t "*) to=-timeout=5;; esac; \
	  JUESUAN_DATA=$(abspath data) build-fuzz/$$t $$to -max_total_time=$(FUZZ_SECONDS) -max_len=$$ml \
	    -artifact_prefix=build-fuzz/$$t- fuzz/corpus/$$t 2> build-fuzz/$$t.log || { tail -30 build-fuzz/$$t.log; exit 1; }; \
	  echo "  $$t: max_len $$ml$${to:+, $$to}, $$(grep -o 'Done [0-9]* runs' build-fuzz/$$t.log), edges $$(grep -o 'cov: [0-9]*' build-fuzz/$$t.log | tail -1 | cut -d' ' -f2)"; \
	done

# Sizes: SCALE_LINES (default 200000; the issue's figures: "1000000
# 10000000"), SCALE_DEPTS (batch check; default 1000), ROUNDS (compare.sh).
bench: $(BIN) $(PLUGIN) $(PORTAL) $(BENCH_BIN) $(BUILD)/bench/gen $(BUILD)/bench/timeone $(BUILD)/bench/pdf_floor
	@for b in $(BENCH_BIN); do JUESUAN=$(abspath $(BIN)) JUESUAN_DATA=$(abspath data) $$b; done
	JUESUAN_DATA=$(abspath data) bench/scale.sh $(BUILD)
	bench/read.sh $(BUILD)
	JUESUAN_DATA=$(abspath data) bench/batch.sh $(BUILD)
	JUESUAN_DATA=$(abspath data) bench/pdf_floor.sh $(BUILD)
	JUESUAN_DATA=$(abspath data) bench/pdf_fonts.sh $(BUILD)

# The portal under wrk, on SQLite and PostgreSQL (bench/README.md).
bench-portal: $(BIN) $(PLUGIN) $(PORTAL) $(BUILD)/bench/gen
	JUESUAN=$(abspath $(BIN)) JUESUAN_DATA=$(abspath data) python3 bench/portal.py

# Everything a user or a program needs: the program and its plugins, the
# libraries (static, shared) with their headers and pkg-config file, the
# data, the man page, bash completion and the documents.
MANDIR   = $(PREFIX)/share/man
DOCDIR   = $(PREFIX)/share/doc/juesuan
BASHCOMP = $(PREFIX)/share/bash-completion/completions

install: $(BIN) $(PLUGIN) $(PORTAL) $(LIB) $(SHLIB)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/juesuan \
	  $(DESTDIR)$(PREFIX)/include/juesuan $(DESTDIR)$(PREFIX)/lib/juesuan $(DESTDIR)$(PREFIX)/lib/pkgconfig \
	  $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DOCDIR)/api $(DESTDIR)$(BASHCOMP)
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/juesuan
	install -m 755 $(PLUGIN) $(DESTDIR)$(PREFIX)/lib/juesuan/juesuan-pdf.so
	install -m 755 $(PORTAL) $(DESTDIR)$(PREFIX)/lib/juesuan/juesuan-portal.so
	install -d $(DESTDIR)$(PREFIX)/lib/juesuan/fonts && install -m 644 $(PDF_FONTS) $(DESTDIR)$(PREFIX)/lib/juesuan/fonts/
	install -m 644 $(LIB) $(DESTDIR)$(PREFIX)/lib/libjuesuan.a
	install -m 755 $(SHLIB) $(DESTDIR)$(PREFIX)/lib/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(PREFIX)/lib/libjuesuan.so
	install -m 644 include/juesuan/*.h $(DESTDIR)$(PREFIX)/include/juesuan/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' -e 's|@REQUIRES@|$(PKGS)|' \
	  scripts/juesuan.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/juesuan.pc
	install -m 644 docs/juesuan.1 $(DESTDIR)$(MANDIR)/man1/juesuan.1
	install -m 644 scripts/juesuan.bash-completion $(DESTDIR)$(BASHCOMP)/juesuan
	install -m 644 README.md LICENSE CONTRIBUTING.md docs/*.md $(DESTDIR)$(DOCDIR)/
	install -m 644 docs/api/*.md $(DESTDIR)$(DOCDIR)/api/
	cp -R data/. $(DESTDIR)$(PREFIX)/share/juesuan/

clean:
	rm -rf build build-san build-clang build-san-clang build-tsan build-fuzz build-lint-clang build-lint-gcc
