# mk/man.mk - the manual pages of the kit's programs, section 1, in
# $(B)/man/man1/ beside the programs' bin/ (read one with man -l FILE).
#
#   make man     the pages (make build makes them too)
#
# help2man makes each page from the program's own usage, which man/usage
# runs and lays out as help2man reads it, and from man/PROGRAM.h2m, the
# sections a usage cannot give (what the program does, its exit status,
# environment, files, examples). So a page's options are the program's,
# and tests/common/test_man_pages.c (in test_common) holds every page to
# its program: the same options, both ways, and no warning from groff.

MAN_PROGRAMS := grade mdriver vmsh tracegen mtrace heapviz
MAN_DIR := $(B)/man
MAN_PAGES := $(patsubst %,$(MAN_DIR)/man1/%.1,$(MAN_PROGRAMS))
# The help option of each: mtrace has -h alone.
man_help_option = $(if $(filter mtrace,$(1)),-h,--help)
# A page is dated by the last commit, so the same tree makes the same page,
# and is in English whatever the locale.
MAN_EPOCH = $(shell git log -1 --format=%ct 2>/dev/null)

$(MAN_DIR)/man1/%.1: $(BIN)/% man/%.h2m man/usage | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(call say,MAN,$@)
	$(Q)LC_ALL=C MAN_PROGRAM=$(BIN)/$* $(if $(MAN_EPOCH),SOURCE_DATE_EPOCH=$(MAN_EPOCH)) \
	    help2man --no-info --section=1 --source=memlabs --version-string=memlabs \
	    --help-option=$(call man_help_option,$*) --include=man/$*.h2m \
	    --output=$@.tmp man/usage && mv $@.tmp $@

.PHONY: man
man: $(MAN_PAGES)
build: man

# The test of the pages reads them where this fragment puts them.
$(BIN)/test_common: | $(MAN_PAGES)
