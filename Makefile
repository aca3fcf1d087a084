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
PKGS := tesseract lept libtiff-4 libpq icu-uc icu-i18n libsodium jansson libmicrohttpd \
	libarchive xlsxwriter

ifeq ($(FUZZ),1)
# libFuzzer build (clang): the library instrumented for coverage and ASan+UBSan
VARIANT := fuzz
CC := clang
SAN_FLAGS := -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
else ifneq ($(SANITIZE),)
VARIANT := sanitize
SAN_FLAGS := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
else
VARIANT := release
SAN_FLAGS :=
endif
O := build/$(VARIANT)

WARNINGS := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wformat=2 -Wvla -Wpointer-arith -Wwrite-strings \
	-Wundef -Wcast-align -Wold-style-definition
ifneq ($(FUZZ),1)
WARNINGS += -Wformat-overflow=2
endif
ifneq ($(CI)$(DEVELOPER),)
WARNINGS += -Werror
endif

# pkg-config runs once, when a recipe first needs the flags (so that `make
# test` can install the packages before anything asks for them).
PKG_CFLAGS = $(eval PKG_CFLAGS := $$(shell pkg-config --cflags $(PKGS)))$(PKG_CFLAGS)
PKG_LIBS = $(eval PKG_LIBS := $$(shell pkg-config --libs $(PKGS)))$(PKG_LIBS)
CMOCKA_LIBS = $(eval CMOCKA_LIBS := $$(shell pkg-config --libs cmocka))$(CMOCKA_LIBS)

ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARNINGS) $(CFLAGS) $(SAN_FLAGS) $(PKG_CFLAGS) \
	$(if $(TESSNET_BUILD),-DHOTICH_TESSNET) -MMD -MP
ALL_LDFLAGS = $(LDFLAGS) $(SAN_FLAGS)
LIBS = $(PKG_LIBS) -lm -lpthread

# The stages, built into one library; pipeline/ is the program.
LIB_DIRS := common normalize ocr match loaders export web
LIB_SRC := $(foreach d,$(LIB_DIRS),$(wildcard $(d)/*.c))
PROG_SRC := $(wildcard pipeline/*.c)
MIGRATIONS := $(sort $(wildcard loaders/migrations/*.sql))
ASSETS := $(sort $(wildcard web/static/*))
# the interface's message catalogues and the common passwords refused
CATALOGS := $(sort $(wildcard web/po/*.po))
WEB_DATA := web/data/common-passwords.txt
FORMS := $(sort $(wildcard ocr/forms/*.form))
EXPORT_TEMPLATES := $(sort $(wildcard export/templates/*.tpl export/templates/*.map))
PUBLIC_HEADERS := common/common.h normalize/normalize.h ocr/ocr.h match/match.h loaders/loaders.h \
	loaders/export_db.h \
	export/export.h web/web.h \
	pipeline/commands.h pipeline/run.h

GEN_OBJ := $(O)/obj/gen/migrations.o $(O)/obj/gen/provinces.o $(O)/obj/gen/admin_units.o \
	$(O)/obj/gen/places_2025.o $(O)/obj/gen/assets.o $(O)/obj/gen/forms.o $(O)/obj/gen/names.o \
	$(O)/obj/gen/catalogs.o $(O)/obj/gen/web_data.o $(O)/obj/gen/export_templates.o
LIB_OBJ := $(LIB_SRC:%.c=$(O)/obj/%.o) $(GEN_OBJ)
PROG_OBJ := $(PROG_SRC:%.c=$(O)/obj/%.o)
LIB := $(O)/libhotich.a
BIN := $(O)/hotich

UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_HDR := $(wildcard tests/unit/*.h)
# every fuzz target also runs its committed corpus as a test of the normal build
FUZZ_NORMALIZE := tcvn3 vni viqr cp1258 detect text name date id place
# targets with their own source, fuzz/fuzz_<name>.c
FUZZ_OWN := ingest csv web
FUZZ_TARGETS := $(FUZZ_NORMALIZE) $(FUZZ_OWN)
FUZZ_DRIVERS := $(FUZZ_TARGETS:%=$(O)/tests/test_fuzz_%)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(O)/tests/%) $(FUZZ_DRIVERS)
FUZZ_SECONDS ?= 10
BENCH_SRC := $(wildcard bench/bench_*.c)
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(O)/%)

.PHONY: all test check demo deps install clean hdr-check lept-check valgrind format format-check po \
	bench-export \
	fuzz fuzz-run reliability bench fixtures fixtures-tune fixtures-large eval tune \
	eval-keying tune-keying bench-scaling bench-search bench-book

# The fixture renderer, generator and scorer (fixtures/).
include fixtures/fixtures.mk

ifneq ($(SANITIZE),)
# `make SANITIZE=...` builds the sanitized variant and runs the suite with it.
all: check
else
all: hotich
hotich: $(BIN)
	cp $(BIN) $@.tmp && mv -f $@.tmp $@
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

$(O)/gen/assets.c: $(ASSETS) tools/embed-assets.sh
	@mkdir -p $(dir $@)
	sh tools/embed-assets.sh $@ $(ASSETS)

$(O)/obj/gen/assets.o: $(O)/gen/assets.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Iweb -c -o $@ $<

$(O)/gen/catalogs.c: $(CATALOGS) tools/embed-web-data.sh
	@mkdir -p $(dir $@)
	sh tools/embed-web-data.sh $@ web_catalogs $(CATALOGS)

$(O)/gen/web_data.c: $(WEB_DATA) tools/embed-web-data.sh
	@mkdir -p $(dir $@)
	sh tools/embed-web-data.sh $@ web_data $(WEB_DATA)

$(O)/obj/gen/catalogs.o $(O)/obj/gen/web_data.o: $(O)/obj/gen/%.o: $(O)/gen/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Iweb -c -o $@ $<

$(O)/gen/forms.c: $(FORMS) tools/embed-forms.sh
	@mkdir -p $(dir $@)
	sh tools/embed-forms.sh $@ $(FORMS)

$(O)/obj/gen/forms.o: $(O)/gen/forms.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Iocr -c -o $@ $<

$(O)/gen/export_templates.c: $(EXPORT_TEMPLATES) tools/embed-export-templates.sh
	@mkdir -p $(dir $@)
	sh tools/embed-export-templates.sh $@ $(EXPORT_TEMPLATES)

$(O)/obj/gen/export_templates.o: $(O)/gen/export_templates.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Iexport -c -o $@ $<

$(O)/gen/provinces.c: normalize/data/provinces.csv tools/embed-provinces.sh
	@mkdir -p $(dir $@)
	sh tools/embed-provinces.sh $@ normalize/data/provinces.csv

$(O)/gen/admin_units.c: normalize/data/provinces.csv normalize/data/admin-units.tsv tools/embed-admin-units.sh
	@mkdir -p $(dir $@)
	sh tools/embed-admin-units.sh $@ normalize/data/provinces.csv normalize/data/admin-units.tsv

NAME_DATA := normalize/data/names/surnames.tsv normalize/data/names/middles.tsv \
	normalize/data/names/boy.txt normalize/data/names/girl.txt

$(O)/gen/names.c: $(NAME_DATA) tools/embed-names.sh
	@mkdir -p $(dir $@)
	sh tools/embed-names.sh $@ $(NAME_DATA)

# the places across time: the 2025 list, the conversion table, the changes
# 2019-2025 (normalize/data/admin-units-2025/) and the hand-written table
PLACES_2025 := normalize/data/admin-units-2025/units-2025.tsv \
	normalize/data/admin-units-2025/old-to-new.tsv \
	normalize/data/admin-units-2025/changes-2019-2025.tsv normalize/data/historical-units.tsv
$(O)/gen/places_2025.c: $(PLACES_2025) tools/embed-places-2025.sh
	@mkdir -p $(dir $@)
	sh tools/embed-places-2025.sh $@ $(PLACES_2025)

$(O)/obj/gen/provinces.o $(O)/obj/gen/admin_units.o $(O)/obj/gen/places_2025.o \
	$(O)/obj/gen/names.o: $(O)/obj/gen/%.o: $(O)/gen/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Inormalize -c -o $@ $<

$(LIB): $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

# ocr/tess.c's pixWriteMem and pixReadMem replace Leptonica's for
# Tesseract's calls (the line images Tesseract keeps in memory are not
# encoded as PNG), and its GOMP_* libgomp's (a parallel region of one
# thread run as a plain call): exported by the programs that run the OCR
# stage.  So are ocr/tessnet.c's, named as C++ names them (the network's
# index and row bookkeeping), which are built only against the
# libtesseract whose layout they know (5.3.0, x86-64: HOTICH_TESSNET).
OCR_SYMBOLS = pixWriteMem pixReadMem GOMP_parallel GOMP_parallel_sections \
	GOMP_sections_next GOMP_sections_end_nowait \
	$(if $(TESSNET_BUILD),$(TESSNET_SYMBOLS))
TESSNET_SYMBOLS = _ZNK9tesseract9StrideMap5Index13MaxIndexOfDimENS_14FlexDimensionsE \
	_ZNK9tesseract9StrideMap5Index7IsValidEv \
	_ZNK9tesseract9StrideMap5Index6IsLastENS_14FlexDimensionsE \
	_ZN9tesseract9StrideMap5Index9AddOffsetEiNS_14FlexDimensionsE \
	_ZN9tesseract9StrideMap5Index15SetTFromIndicesEv \
	_ZN9tesseract9StrideMap5Index9IncrementEv \
	_ZN9tesseract9NetworkIO17WriteTimeStepPartEiiiPKf \
	_ZN9tesseract9NetworkIO19CopyTimeStepGeneralEiiiRKS0_ii \
	_ZN9tesseract9NetworkIO15MaxpoolTimeStepEiRKS0_iPi
TESSNET_BUILD = $(eval TESSNET_BUILD := $$(and $$(filter 5.3.0,$$(shell pkg-config \
	--modversion tesseract 2>/dev/null)),$$(findstring x86_64,$$(shell $$(CC) \
	-dumpmachine))))$(TESSNET_BUILD)
OCR_EXPORTS = $(OCR_SYMBOLS:%=-Wl,--export-dynamic-symbol=%)

$(BIN): $(PROG_OBJ) $(LIB)
	$(CC) $(ALL_LDFLAGS) $(OCR_EXPORTS) -o $@ $(PROG_OBJ) $(LIB) $(LIBS)

$(O)/tests/%: tests/unit/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Iloaders -Inormalize $(ALL_LDFLAGS) -o $@ $< $(LIB) $(CMOCKA_LIBS) $(LIBS)

$(O)/tests/test_fuzz_%: fuzz/fuzz_normalize.c fuzz/driver.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(filter-out -MMD -MP,$(ALL_CFLAGS)) -DFUZZ_TARGET_$* -DFUZZ_NAME=$* $(ALL_LDFLAGS) \
		-o $@ fuzz/fuzz_normalize.c fuzz/driver.c $(LIB) $(LIBS)

$(O)/fuzz_%: fuzz/fuzz_normalize.c $(LIB)
	$(CC) $(filter-out -MMD -MP,$(ALL_CFLAGS)) -DFUZZ_TARGET_$* \
		-fsanitize=fuzzer,address,undefined -o $@ fuzz/fuzz_normalize.c $(LIB) $(LIBS)

define FUZZ_OWN_RULES
$$(O)/tests/test_fuzz_$(1): fuzz/fuzz_$(1).c fuzz/driver.c $$(LIB)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(filter-out -MMD -MP,$$(ALL_CFLAGS)) -DFUZZ_NAME=$(1) $$(ALL_LDFLAGS) \
		-o $$@ fuzz/fuzz_$(1).c fuzz/driver.c $$(LIB) $$(LIBS)

$$(O)/fuzz_$(1): fuzz/fuzz_$(1).c $$(LIB)
	$$(CC) $$(filter-out -MMD -MP,$$(ALL_CFLAGS)) \
		-fsanitize=fuzzer,address,undefined -o $$@ fuzz/fuzz_$(1).c $$(LIB) $$(LIBS)
endef
$(foreach t,$(FUZZ_OWN),$(eval $(call FUZZ_OWN_RULES,$(t))))

# `make reliability`: faults, hostile inputs, authorization, load and a
# short run of every fuzz target, with the README's table as the result
# (build/reliability.md).  FUZZ_SECONDS=N per target (default 10).
reliability: $(BIN) $(UNIT_BIN)
	sh tools/reliability.sh $(O)

# `make fuzz FUZZ_SECONDS=N`: each libFuzzer target for N seconds (clang,
# FUZZ_RUNS=N instead: N inputs from seed 1, the same every time (CI);
# ASan+UBSan), starting from the committed corpus; new inputs go to
# build/fuzz/corpus, crashes to build/fuzz/crash-* (add them to
# fuzz/corpus/<target>/ once fixed: they stay tests).
fuzz:
	$(MAKE) FUZZ=1 fuzz-run

fuzz-run: $(FUZZ_TARGETS:%=$(O)/fuzz_%)
	@for t in $(FUZZ_TARGETS); do \
		mkdir -p $(O)/corpus/$$t; \
		echo "fuzz: $$t for $(if $(FUZZ_RUNS),$(FUZZ_RUNS) runs (seed 1),$(FUZZ_SECONDS) s)"; \
		len=4096; [ $$t = ingest ] && len=262144; [ $$t = csv ] && len=65536; \
		./$(O)/fuzz_$$t $(if $(FUZZ_RUNS),-runs=$(FUZZ_RUNS) -seed=1,-max_total_time=$(FUZZ_SECONDS)) \
			-max_len=$$len -print_final_stats=1 \
			-artifact_prefix=$(O)/crash-$$t- $(O)/corpus/$$t fuzz/corpus/$$t \
			2>$(O)/fuzz-$$t.log || { tail -40 $(O)/fuzz-$$t.log; exit 1; }; \
		grep -E 'stat::number_of_executed_units|stat::peak_rss_mb' $(O)/fuzz-$$t.log | \
			sed "s/^/  $$t /"; \
	done

$(O)/bench_%: bench/bench_%.c $(LIB)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LIB) $(LIBS)

# the match benchmark reads the internals of match/
$(O)/bench_match: bench/bench_match.c $(LIB)
	$(CC) $(ALL_CFLAGS) -Imatch $(ALL_LDFLAGS) -o $@ $< $(LIB) $(LIBS)

# the OCR benchmark scores its configurations with the evaluation's scorer
$(O)/bench_ocr: bench/bench_ocr.c $(FX_SCORE_OBJ) $(LIB)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) $(OCR_EXPORTS) -o $@ $< $(FX_SCORE_OBJ) $(LIB) $(LIBS)

# Benchmarks print their figures and their ratio to a peer run alongside.
# bench_match links 100,000 records against a 2,000,000-citizen registry
# that hotich-fixtures makes once (BENCH_CITIZENS to change it)
BENCH_CITIZENS ?= 2000000
BENCH_EXPORT_RECORDS ?= 20000
bench: $(BENCH_BIN) $(O)/hotich-fixtures
	@for b in $(filter-out %/bench_match %/bench_load %/bench_search,$(BENCH_BIN)); do ./$$b || exit 1; done
	@test -f build/bench-pop/registry.csv || \
		$(O)/hotich-fixtures --set large --seed 42 --pages 1 \
			--citizens $(BENCH_CITIZENS) --out build/bench-pop >/dev/null
	./$(O)/bench_match --registry build/bench-pop/registry.csv
	@# photographed against scanned pages of the same forms (issue 20's 1.5x)
	@test -f build/bench-photo/truth.jsonl || \
		$(O)/hotich-fixtures --set tune --seed 777 --pages 40 --photo-share 0.6 \
			--out build/bench-photo >/dev/null
	./$(O)/bench_ocr --set build/bench-photo --no-ablation
	BENCH_LOAD=$(O)/bench_load sh bench/bench_batch.sh ./hotich build/bench-pop/registry.csv
	@# the hand-over of a 20,000-record database (some 3 GB of PDFs while it runs)
	sh bench/bench_export.sh ./hotich $(BENCH_EXPORT_RECORDS)

# `make bench-export`: only the hand-over's bench (BENCH_EXPORT_RECORDS records)
bench-export: hotich
	sh bench/bench_export.sh ./hotich $(BENCH_EXPORT_RECORDS)

# `make bench-search`: the look-up on 2,000,000 generated records (people of
# the registry hotich-fixtures makes once, as for bench_match)
BENCH_SEARCH_RECORDS ?= 2000000
bench-search: hotich $(O)/bench_search $(O)/hotich-fixtures
	@test -f build/bench-pop/registry.csv || \
		$(O)/hotich-fixtures --set large --seed 42 --pages 1 \
			--citizens $(BENCH_CITIZENS) --out build/bench-pop >/dev/null
	sh bench/bench_search.sh ./hotich $(O)/bench_search build/bench-pop/registry.csv \
		$(BENCH_SEARCH_RECORDS)

# `make bench-book`: issue 27's figures, hotich ocr against the tesseract
# command on one office's register book (200 pages) and on the mixed fixture
# set, each with and without the book memory, and hotich run --jobs 1 end to
# end against hotich ocr alone on the book
bench-book: hotich $(O)/hotich-fixtures $(O)/bench_ocr
	FIXTURES=$(O)/hotich-fixtures sh bench/bench_book.sh ./hotich

# `make bench-scaling`: --jobs 1 against --jobs 2 over 200 generated pages,
# the serial steps apart, and one and two `hotich worker` (some 20 minutes;
# BENCH_QUIET=0.5 waits for an otherwise idle machine before each run)
bench-scaling: hotich $(O)/hotich-fixtures
	FIXTURES=$(O)/hotich-fixtures sh bench/bench_scaling.sh ./hotich build/bench-scaling $(or $(REPEAT),3)

# A test build with a parser broken on purpose (the hamlet of a place
# dropped): t0019 checks that make eval's score drops with it, that is, that
# the fixtures' truth does not come through the product's parsers.
$(O)/obj/normalize/place-broken.o: normalize/place.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -DHOTICH_TEST_BREAK_PLACE -c -o $@ $<

$(O)/hotich-broken-place: $(PROG_OBJ) $(O)/obj/normalize/place-broken.o $(LIB)
	$(CC) $(ALL_LDFLAGS) $(OCR_EXPORTS) -o $@ $(PROG_OBJ) $(O)/obj/normalize/place-broken.o \
		$(LIB) $(LIBS)

# Every public header compiles on its own.
hdr-check:
	@mkdir -p $(O)
	@for h in $(PUBLIC_HEADERS); do \
		echo "#include \"$$PWD/$$h\"" | \
			$(CC) $(filter-out -MMD -MP,$(ALL_CFLAGS)) -fsyntax-only -x c - || exit 1; \
	done

# Leptonica 1.83 (Debian 13) made its structs opaque: build every source
# that uses it against headers without them, on Debian 12 already.
lept-check:
	@sh tools/lept-opaque-check.sh $(CC) $(filter-out -MMD -MP,$(ALL_CFLAGS)) $(FX_CFLAGS)

# The suite: unit tests (cmocka, TAP) and shell tests, under prove, against a
# throwaway PostgreSQL cluster that tests/run-tests.sh starts and removes.
check: $(BIN) $(UNIT_BIN) $(O)/hotich-fixtures $(O)/hotich-eval $(O)/hotich-broken-place hdr-check lept-check
	sh tests/run-tests.sh $(O)

valgrind: $(BIN) $(UNIT_BIN) $(O)/hotich-fixtures $(O)/hotich-eval $(O)/hotich-broken-place
	HOTICH_VALGRIND=1 sh tests/run-tests.sh $(O)

deps:
	sh tools/install-deps.sh

# The README's test command: packages, the suite, then the suite under
# ASan+UBSan.
test: deps
	$(MAKE) check
	$(MAKE) SANITIZE=address,undefined check

# The README's main job.  For now: the local cluster, the schema, its status.
# The main job on the bundled fixtures: the local cluster, the registry and
# the inventory, the nightly batch over the committed scans (with its
# progress bar), the progress report.  Run again, it loads nothing twice.
demo: deps
	$(MAKE) hotich
	./hotich db init
	./hotich registry import fixtures/small/registry.csv
	./hotich inventory import fixtures/small/inventory.csv
	./hotich run --batch demo fixtures/small/scans
	./hotich report --by office
	./hotich report --by doc_type
	./hotich export --out var/ban-giao
	@printf '\n%s\n%s\n%s\n' \
		"Review and dashboard: create a user, then serve on http://127.0.0.1:8080/" \
		"  ./hotich user add NAME --role reviewer|manager|admin   (asks for the password)" \
		"  ./hotich serve"

# Fixture sets (fixtures/): the committed small set, and sets generated on
# demand from a seed.  Tune on the tuning set; report on the evaluation set.
SMALL_SEED := 20261101
TUNE_SEED ?= 1001
EVAL_SEED ?= 20261123
# the keying-error set (records typed with errors, no pages): its own seeds
KEYING_TUNE_SEED ?= 1101
KEYING_EVAL_SEED ?= 20261124
# processes for make eval / make tune (one core each; the OCR figure is per run)
JOBS ?= 1
LARGE_PAGES ?= 1000

fixtures: $(O)/hotich-fixtures
	rm -rf fixtures/small
	$(O)/hotich-fixtures --set small --seed $(SMALL_SEED) --out fixtures/small

fixtures-tune: $(O)/hotich-fixtures
	rm -rf build/tune
	$(O)/hotich-fixtures --set tune --seed $(TUNE_SEED) --out build/tune

fixtures-large: $(O)/hotich-fixtures
	rm -rf build/large
	$(O)/hotich-fixtures --set large --seed $(EVAL_SEED) --pages $(LARGE_PAGES) --out build/large

# make eval: field accuracy, silent errors and link precision/recall on the
# evaluation set, through hotich's public commands.
eval: hotich $(O)/hotich-fixtures $(O)/hotich-eval
	JOBS=$(JOBS) sh tools/eval.sh $(O) build/eval $(EVAL_SEED) eval
	@echo
	sh tools/eval-keying.sh $(O) build/eval-keying $(KEYING_EVAL_SEED)

# the same on the tuning set: what the thresholds are chosen on
tune: hotich $(O)/hotich-fixtures $(O)/hotich-eval
	JOBS=$(JOBS) sh tools/eval.sh $(O) build/tune $(TUNE_SEED) tune
	@echo
	sh tools/eval-keying.sh $(O) build/tune-keying $(KEYING_TUNE_SEED)

# the keying-error sets alone (seconds, no OCR)
eval-keying: hotich $(O)/hotich-fixtures $(O)/hotich-eval
	sh tools/eval-keying.sh $(O) build/eval-keying $(KEYING_EVAL_SEED)

tune-keying: hotich $(O)/hotich-fixtures $(O)/hotich-eval
	sh tools/eval-keying.sh $(O) build/tune-keying $(KEYING_TUNE_SEED)

# the licence and the notices of what the binary carries travel with it
install: hotich
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/hotich/migrations \
		$(DESTDIR)$(PREFIX)/share/doc/hotich
	install -m 755 hotich $(DESTDIR)$(PREFIX)/bin/hotich
	install -m 644 $(MIGRATIONS) $(DESTDIR)$(PREFIX)/share/hotich/migrations/
	install -m 644 LICENSE THIRD-PARTY-NOTICES.md $(DESTDIR)$(PREFIX)/share/doc/hotich/
	install -m 644 normalize/data/admin-units-2025/LICENSE-MIT.txt \
		$(DESTDIR)$(PREFIX)/share/doc/hotich/LICENSE-MIT-data.txt

# The interface's messages: extract them from web/ and bring the
# catalogues up to date (then translate what msgmerge leaves empty).
XGETTEXT_FLAGS := --from-code=UTF-8 --language=C --keyword=tr:2 --keyword=trn:2,3 \
	--keyword=N_ --no-location --sort-output
po:
	@mkdir -p build
	xgettext $(XGETTEXT_FLAGS) -o build/hotich.pot web/*.c
	for f in $(CATALOGS); do msgmerge --quiet --update --backup=none --no-location \
		--sort-output $$f build/hotich.pot || exit 1; done

format:
	clang-format -i $(LIB_SRC) $(PROG_SRC) $(PUBLIC_HEADERS) $(UNIT_SRC) $(UNIT_HDR) \
		$(BENCH_SRC) fuzz/*.c

format-check:
	clang-format --dry-run -Werror $(LIB_SRC) $(PROG_SRC) $(PUBLIC_HEADERS) $(UNIT_SRC) \
		$(UNIT_HDR) $(BENCH_SRC) fuzz/*.c

clean:
	rm -rf build hotich

-include $(LIB_OBJ:.o=.d) $(PROG_OBJ:.o=.d) $(UNIT_SRC:tests/unit/%.c=$(O)/tests/%.d)
