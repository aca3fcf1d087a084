# hotich — build, test, demo.  See README.md.
#
#   make                 build ./hotich
#   make test            install missing Debian packages, build, run the whole
#                        suite, then again under ASan+UBSan
#   make demo            install, build, run the main job on the bundled fixtures
#   make check           run the suite on the current build (no package install)
#   make SANITIZE=address,undefined
#                        build with sanitizers (in build/sanitize) and run the suite
#   make install PREFIX=/usr/local
#   make valgrind        run the suite with every hotich and unit-test run under
#                        valgrind
#
# Knobs: CC, CFLAGS (default -O2 -g), SANITIZE, PREFIX, DESTDIR; CI=true or
# DEVELOPER=1 turn warnings into errors.

.DEFAULT_GOAL := all
SHELL := /bin/sh

PREFIX ?= /usr/local
CFLAGS ?= -O2 -g
PKGS := tesseract lept libtiff-4 libpq icu-uc icu-i18n

ifneq ($(SANITIZE),)
VARIANT := sanitize
SAN_FLAGS := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
else
VARIANT := release
SAN_FLAGS :=
endif
O := build/$(VARIANT)

WARNINGS := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wformat=2 -Wformat-overflow=2 -Wvla -Wpointer-arith -Wwrite-strings \
	-Wundef -Wcast-align -Wold-style-definition
ifneq ($(CI)$(DEVELOPER),)
WARNINGS += -Werror
endif

# pkg-config runs once, when a recipe first needs the flags (so that `make
# test` can install the packages before anything asks for them).
PKG_CFLAGS = $(eval PKG_CFLAGS := $$(shell pkg-config --cflags $(PKGS)))$(PKG_CFLAGS)
PKG_LIBS = $(eval PKG_LIBS := $$(shell pkg-config --libs $(PKGS)))$(PKG_LIBS)
CMOCKA_LIBS = $(eval CMOCKA_LIBS := $$(shell pkg-config --libs cmocka))$(CMOCKA_LIBS)

ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARNINGS) $(CFLAGS) $(SAN_FLAGS) $(PKG_CFLAGS) -MMD -MP
ALL_LDFLAGS = $(LDFLAGS) $(SAN_FLAGS)
LIBS = $(PKG_LIBS) -lm -lpthread

# The stages, built into one library; pipeline/ is the program.
LIB_DIRS := common loaders
LIB_SRC := $(foreach d,$(LIB_DIRS),$(wildcard $(d)/*.c))
PROG_SRC := $(wildcard pipeline/*.c)
MIGRATIONS := $(sort $(wildcard loaders/migrations/*.sql))
PUBLIC_HEADERS := common/common.h loaders/loaders.h pipeline/commands.h

LIB_OBJ := $(LIB_SRC:%.c=$(O)/obj/%.o) $(O)/obj/gen/migrations.o
PROG_OBJ := $(PROG_SRC:%.c=$(O)/obj/%.o)
LIB := $(O)/libhotich.a
BIN := $(O)/hotich

UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_HDR := $(wildcard tests/unit/*.h)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(O)/tests/%)

.PHONY: all test check demo deps install clean hdr-check valgrind format format-check

ifneq ($(SANITIZE),)
# `make SANITIZE=...` builds the sanitized variant and runs the suite with it.
all: check
else
all: hotich
hotich: $(BIN)
	cp $(BIN) $@
endif

$(O)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(O)/gen/migrations.c: $(MIGRATIONS) tools/embed-migrations.sh
	@mkdir -p $(dir $@)
	sh tools/embed-migrations.sh $@ $(MIGRATIONS)

$(O)/obj/gen/migrations.o: $(O)/gen/migrations.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Iloaders -c -o $@ $<

$(LIB): $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(BIN): $(PROG_OBJ) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $(PROG_OBJ) $(LIB) $(LIBS)

$(O)/tests/%: tests/unit/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Iloaders $(ALL_LDFLAGS) -o $@ $< $(LIB) $(CMOCKA_LIBS) $(LIBS)

# Every public header compiles on its own.
hdr-check:
	@mkdir -p $(O)
	@for h in $(PUBLIC_HEADERS); do \
		echo "#include \"$$PWD/$$h\"" | $(CC) $(ALL_CFLAGS) -fsyntax-only -x c - || exit 1; \
	done

# The suite: unit tests (cmocka, TAP) and shell tests, under prove, against a
# throwaway PostgreSQL cluster that tests/run-tests.sh starts and removes.
check: $(BIN) $(UNIT_BIN) hdr-check
	sh tests/run-tests.sh $(O)

valgrind: $(BIN) $(UNIT_BIN)
	HOTICH_VALGRIND=1 sh tests/run-tests.sh $(O)

deps:
	sh tools/install-deps.sh

# The README's test command: packages, the suite, then the suite under
# ASan+UBSan.
test: deps
	$(MAKE) check
	$(MAKE) SANITIZE=address,undefined check

# The README's main job.  For now: the local cluster, the schema, its status.
demo: deps
	$(MAKE) hotich
	./hotich db init
	./hotich db status

install: hotich
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/hotich/migrations
	install -m 755 hotich $(DESTDIR)$(PREFIX)/bin/hotich
	install -m 644 $(MIGRATIONS) $(DESTDIR)$(PREFIX)/share/hotich/migrations/

format:
	clang-format -i $(LIB_SRC) $(PROG_SRC) $(PUBLIC_HEADERS) $(UNIT_SRC) $(UNIT_HDR)

format-check:
	clang-format --dry-run -Werror $(LIB_SRC) $(PROG_SRC) $(PUBLIC_HEADERS) $(UNIT_SRC) $(UNIT_HDR)

clean:
	rm -rf build hotich

-include $(LIB_OBJ:.o=.d) $(PROG_OBJ:.o=.d) $(UNIT_BIN:=.d)
