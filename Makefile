# memlabs - build, test and grade the kit. README.md has the two commands.
#
#   make             install missing packages, build, run the main job
#   make check       the whole test suite
#   make memcheck    the tests and the main job under Valgrind (no errors, no leaks)
#   make asan        the tests built with AddressSanitizer and UBSan
#   make coverage    the tests built with gcov; lcov HTML report and a summary line
#   make bench       the benchmarks; they print ratios measured in one run
#   make clean       remove build/
#
#   IMPL=solution    (default) the reference versions of the student-owned files
#   IMPL=handout     the skeletons students start from (the default where
#                    there is no solution/: in the students' handout)
#   IMPL=DIR         a submission: DIR holds the files of handout/STUDENT_FILES
#                    at the same relative paths
#   V=1              show every command in full
#
# Everything built goes to build/VARIANT/IMPL-NAME/, where VARIANT is
# release (default), debug (-O0, for gdb), asan, coverage or memcheck, so
# builds of different implementations never mix; BUILD=DIR moves build/.

.DEFAULT_GOAL := all
SHELL := /bin/bash
.DELETE_ON_ERROR:
.SUFFIXES:

# The kit builds its reference by default; the students' handout (make
# handout), which has no solution/, its skeletons.
IMPL ?= $(if $(wildcard solution/.),solution,handout)
VARIANT ?= release

# --- Where the student-owned files come from -------------------------------
# solution/ and handout/ hold nothing but the kit's own files, so they are
# compiled in place (compiler messages name the files being edited). A
# submission directory may hold anything: exactly the student-owned files
# are copied from it into the build tree, so no other file of it can stand
# in for a framework file; a student-owned file it lacks (a malloc-only
# submission has no vm/) is taken from the skeleton.
STUDENT_FILES := $(shell sed 's/\#.*//' handout/STUDENT_FILES)
BUILD ?= build
ifeq ($(IMPL),solution)
  IMPL_DIR := solution
  IMPL_NAME := solution
else ifeq ($(IMPL),handout)
  IMPL_DIR := handout
  IMPL_NAME := handout
else
  IMPL_SRC := $(abspath $(IMPL))
  ifeq ($(wildcard $(IMPL_SRC)/.),)
    $(error IMPL=$(IMPL): no such directory)
  endif
  IMPL_NAME := sub-$(notdir $(IMPL_SRC))-$(shell printf %s '$(IMPL_SRC)' | cksum | cut -d' ' -f1)
  IMPL_DIR := $(BUILD)/impl/$(IMPL_NAME)
  IMPL_MISSING := $(filter-out $(patsubst $(IMPL_SRC)/%,%,$(wildcard $(addprefix $(IMPL_SRC)/,$(STUDENT_FILES)))),$(STUDENT_FILES))
  ifneq ($(IMPL_MISSING),)
    ifeq ($(MAKELEVEL),0)
      $(info IMPL=$(IMPL): no $(IMPL_MISSING) there; the skeleton's are used)
    endif
  endif
  ifeq ($(filter-out $(IMPL_MISSING),$(STUDENT_FILES)),)
    $(error IMPL=$(IMPL): none of the student-owned files (handout/STUDENT_FILES) is there)
  endif
  # stage_from - where student-owned file $(1) is copied from.
  stage_from = $(if $(filter $(1),$(IMPL_MISSING)),handout/$(1),$(IMPL_SRC)/$(1))
  STAGED := $(addprefix $(IMPL_DIR)/,$(STUDENT_FILES))
endif
# student_path - the file a student edits for a (staged) implementation file.
student_path = $(if $(IMPL_SRC),$(call stage_from,$(patsubst $(IMPL_DIR)/%,%,$(1))),$(1))

B   := $(BUILD)/$(VARIANT)/$(IMPL_NAME)
OBJ := $(B)/obj
BIN := $(B)/bin

# --- Output -----------------------------------------------------------------
# One short line per step; V=1 shows the full commands.
ifeq ($(V),1)
  Q :=
  say :=
else
  Q := @
  say = @printf '  %-6s %s\n' $(1) '$(2)';
endif

# --- Compiler --------------------------------------------------------------
ifeq ($(origin CC),default)
  CC := gcc
endif
CSTD := -std=gnu17
WARN := -Wall -Wextra -Werror
ifeq ($(VARIANT),release)
  OPT := -O2 -g
else ifeq ($(VARIANT),asan)
  OPT := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all \
         -DTEST_TIMEOUT_SCALE=3
else ifeq ($(VARIANT),coverage)
  OPT := -O0 -g --coverage -DKIT_COVERAGE
else ifeq ($(VARIANT),debug)
  OPT := -O0 -g3
else ifeq ($(VARIANT),memcheck)
  OPT := -O1 -g -DTEST_TIMEOUT_SCALE=40
else
  $(error VARIANT=$(VARIANT): expected release, debug, asan, coverage or memcheck)
endif
# Student headers come first, so IMPL's mminline.h wins over the skeleton's.
INCLUDES := -I$(IMPL_DIR)/malloc -Ihandout/malloc -Ihandout/common -Ihandout/tests
CFLAGS  := $(CSTD) $(WARN) $(OPT) $(INCLUDES) -MMD -MP $(EXTRA_CFLAGS)
LDFLAGS := $(filter -fsanitize% -fno-sanitize%,$(OPT)) $(filter --coverage,$(OPT))
# Expanded when a recipe runs, after mk/deps has installed pkg-config's data.
pkglibs = $(shell pkg-config --libs $(1))

# --- Packages ---------------------------------------------------------------
DEPS_STAMP := $(BUILD)/.deps-ok
$(DEPS_STAMP): mk/packages mk/deps
	@mkdir -p $(@D)
	@mk/deps mk/packages
	@touch $@

.PHONY: deps
deps: $(DEPS_STAMP)

# --- Programs ---------------------------------------------------------------
# $(call program,NAME,FRAMEWORK-SOURCES,STUDENT-SOURCES,LIBS) defines
# $(BIN)/NAME; STUDENT-SOURCES are paths inside IMPL (malloc/mm.c).
PROGRAMS :=
TESTS :=
ALL_OBJS :=
fw_objs   = $(patsubst %.c,$(OBJ)/fw/%.o,$(1))
impl_objs = $(patsubst %.c,$(OBJ)/impl/%.o,$(1))
define program
PROGRAMS += $(BIN)/$(1)
ALL_OBJS += $(call fw_objs,$(2)) $(call impl_objs,$(3))
$(BIN)/$(1): $(call fw_objs,$(2)) $(call impl_objs,$(3))
	@mkdir -p $$(@D)
	$$(call say,LD,$$@)
	$$(Q)$$(CC) $$(LDFLAGS) -o $$@ $$^ $(4)
endef
# $(call test,NAME,...) is a public test: a Criterion binary that make check
# runs against IMPL. $(call kittest,NAME,...) is a test of the kit itself
# (its grader, tools, framework), built and run only with IMPL=solution:
# against a student's files it would report the student's bugs as the kit's.
define test
$(call program,$(1),$(2),$(3),$(4) $$(call pkglibs,criterion))
TESTS += $(BIN)/$(1)
endef
KIT_TESTS :=
define kittest
$(call program,$(1),$(2),$(3),$(4) $$(call pkglibs,criterion))
PROGRAMS := $$(filter-out $(BIN)/$(1),$$(PROGRAMS))
KIT_TESTS += $(BIN)/$(1)
endef

# A staged copy starts with a #line naming the file it was copied from, so
# compiler errors, assertion messages and gdb name the student's own file
# (the one to edit), not the copy the next build overwrites.
ifdef STAGED
define stage_rule
$(IMPL_DIR)/$(1): $(call stage_from,$(1))
	@mkdir -p $$(@D)
	$$(call say,COPY,$$<)
	@{ printf '#line 1 "%s"\n' '$$(abspath $$<)'; cat '$$<'; } > $$@
endef
$(foreach f,$(STUDENT_FILES),$(eval $(call stage_rule,$(f))))
endif

$(OBJ)/fw/%.o: %.c | $(DEPS_STAMP) $(STAGED)
	@mkdir -p $(@D)
	$(call say,CC,$<)
	$(Q)$(CC) $(CFLAGS) -c -o $@ $<
# A student's object must not call what the rules forbid (mk/check-symbols).
$(OBJ)/impl/%.o: $(IMPL_DIR)/%.c | $(DEPS_STAMP) $(STAGED)
	@mkdir -p $(@D)
	$(call say,CC,$(call student_path,$<))
	$(Q)$(CC) $(CFLAGS) -c -o $@ $<
	$(Q)mk/check-symbols $(call student_path,$<) $@ \
	    $(if $(filter asan coverage,$(VARIANT)),--instrumented) || \
	    { rm -f $@; exit 1; }

# Each component describes its programs and tests in mk/COMPONENT.mk. The
# malloc lab and mdriver come first: other fragments use their variables;
# grade comes last: its plan lists every other fragment's objects.
MK_FIRST := mk/malloc.mk mk/mdriver.mk
MK_LAST := mk/grade.mk
# (The students' handout has no mk/grade.mk: hence the wildcard.)
include $(MK_FIRST) $(filter-out $(MK_FIRST) $(MK_LAST),$(sort $(wildcard mk/*.mk))) \
    $(wildcard $(MK_LAST))

-include $(ALL_OBJS:.o=.d)

# --- Targets ----------------------------------------------------------------
.PHONY: all build run check test memcheck memcheck-run asan coverage bench clean
all: build run

# The tests run in groups, one per lab (LABS, LAB_TESTS_lab from the
# fragments) and the kit's own tests, which run with the reference only.
# LAB=malloc (or vm) runs that lab's alone. A lab of which a submission
# (IMPL=DIR) has no file is not tested: its skeleton's failures would bury
# the result of the lab that was submitted.
lab_submitted = $(filter-out $(IMPL_MISSING),$(filter $(1)/%,$(STUDENT_FILES)))
RUN_LABS := $(or $(LAB),$(LABS))
TEST_GROUPS := $(foreach l,$(RUN_LABS),$(if $(call lab_submitted,$(l)),$(addprefix $(l)=,$(LAB_TESTS_$(l))),$(l)=-)) \
    $(addprefix tests=,$(filter-out $(foreach l,$(LABS),$(LAB_TESTS_$(l))),$(TESTS))) \
    $(if $(and $(filter solution,$(IMPL)),$(if $(LAB),,yes)),$(addprefix kit=,$(KIT_TESTS)))
RUN_TESTS := $(filter-out -,$(foreach g,$(TEST_GROUPS),$(lastword $(subst =, ,$(g)))))
# What make memcheck runs besides the tests, per lab (MEMCHECK_MAIN_lab).
MEMCHECK_MAIN := $(foreach l,$(RUN_LABS),$(if $(call lab_submitted,$(l)),$(MEMCHECK_MAIN_$(l))))

build: $(PROGRAMS) $(if $(filter solution,$(IMPL)),$(KIT_TESTS))

# The main job: see mk/malloc.mk (run).

# Benchmarks print ratios measured in one run; each fragment adds its own.
bench: $(BENCHES)

# Runs every test binary, even after a failure, and ends with a line per
# group (mk/run-tests); fails if any failed.
test: $(RUN_TESTS)
	@mk/run-tests $(addprefix -f ,$(CRITERION_FLAGS)) $(TEST_GROUPS)

check: build
	@$(MAKE) --no-print-directory test

# Valgrind reports errors of a test's child processes only in its own logs
# (the Criterion runner cannot see them), so every process logs to a file and
# the run fails if any log has anything in it. The logs' folder is writable
# by all: grade's tests run it as the user nobody too, and a process's log
# is named by its pid and a number (%p.%n), since one that becomes nobody
# and execs cannot reopen the log root made for it at fork; and no vgdb
# pipes (--vgdb=no): a process that became nobody could not remove root's. make asan runs one test at a
# time: Criterion 2.4's runner itself leaks a few bytes now and then when
# tests run in parallel, and LeakSanitizer cannot tell the runner's leaks
# from a test's (mk/valgrind.supp can, for make memcheck).
# The system's own programs that tests start (sh, cc, nm, rm...) are not
# the kit's to check, nor mtrace's victims (under Valgrind they would get
# Valgrind's malloc instead of the recorder's and record nothing), nor the
# programs grade builds for a submission in /tmp (release builds, which
# must run under their seccomp filter, and Valgrind's own work would break
# it).
VALGRIND := valgrind -q --vgdb=no --trace-children=yes --leak-check=full \
    --trace-children-skip='/usr/*,/bin/*,/sbin/*,*/mtrace-victim-*,/tmp/*' \
    --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
    --suppressions=$(CURDIR)/mk/valgrind.supp --log-file=$(abspath $(B))/valgrind/%p.%n.log
memcheck:
	@$(MAKE) --no-print-directory VARIANT=memcheck build
	@$(MAKE) --no-print-directory VARIANT=memcheck memcheck-run

memcheck-run:
	@rm -rf $(B)/valgrind && mkdir -p $(B)/valgrind && chmod 1777 $(B)/valgrind
	@status=0; mk/run-tests -w "$(VALGRIND)" -f '--jobs 2' $(TEST_GROUPS) || status=1; \
	$(if $(MEMCHECK_MAIN),echo "== valgrind $(MEMCHECK_MAIN)"; \
	    $(VALGRIND) $(MEMCHECK_MAIN) >/dev/null || status=1;) \
	for f in $(B)/valgrind/*.log; do \
	    if [ -s "$$f" ]; then cat "$$f"; status=1; fi; \
	done; \
	if [ $$status = 0 ]; then echo "memcheck: no errors, no leaks ($$(ls $(B)/valgrind | wc -l) processes)"; \
	else echo "memcheck: FAILED (logs in $(B)/valgrind)"; fi; exit $$status

asan:
	@$(MAKE) --no-print-directory VARIANT=asan build
	@ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    $(MAKE) --no-print-directory VARIANT=asan CRITERION_FLAGS=--jobs=1 test

# make asan-malloc, memcheck-vm...: asan and memcheck for one lab, as
# check-malloc and check-vm are check for one.
define lab_targets
.PHONY: asan-$(1) memcheck-$(1)
asan-$(1):
	@$$(MAKE) --no-print-directory LAB=$(1) asan
memcheck-$(1):
	@$$(MAKE) --no-print-directory LAB=$(1) memcheck
endef
$(foreach l,$(LABS),$(eval $(call lab_targets,$(l))))

COV := $(BUILD)/coverage/$(IMPL_NAME)
coverage:
	@$(MAKE) --no-print-directory VARIANT=coverage build
	@find $(COV)/obj -name '*.gcda' -delete 2>/dev/null || true
	@mkdir -p $(COV) && $(MAKE) --no-print-directory VARIANT=coverage test >$(COV)/tests.log 2>&1 || \
	    { tail -20 $(COV)/tests.log; exit 1; }
	@lcov --quiet --capture --directory $(COV)/obj --output-file $(COV)/all.info \
	    2>$(COV)/lcov.log || { cat $(COV)/lcov.log; exit 1; }
	@lcov --quiet --extract $(COV)/all.info '$(CURDIR)/handout/malloc/*' '$(CURDIR)/handout/common/*' \
	    '$(CURDIR)/handout/vm/*' \
	    '$(CURDIR)/$(IMPL_DIR)/*' '$(CURDIR)/grader/*' '$(CURDIR)/tools/*' \
	    --output-file $(COV)/kit.info
	@genhtml --quiet --output-directory $(COV)/html $(COV)/kit.info
	@lcov --summary $(COV)/kit.info 2>&1 | sed -n 's/^ *lines\.*: */coverage: lines /p' \
	    | sed 's|$$| (framework, solution, grader, tools); report: $(COV)/html/index.html|'

clean:
	rm -rf $(BUILD)
