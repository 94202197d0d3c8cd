# mk/grade.mk - grade, the TA's grader of untrusted submissions, and its
# kit: what grade needs to build a submission's graded programs in seconds.
#
# grade builds, per submission, only the student's files (and the public
# malloc tests, which include the student's mminline.h) and links them
# with the framework objects this build made once. The plan says how:
# $(GRADEKIT)/plan.ini, written from the same source lists as the kit's
# own programs, so the two cannot drift apart. Lists are written a word a
# line (inih's continuation lines): Debian's inih reads at most 200
# characters a line. Beside it, reserved.txt:
# every name a student must not define (the C library's, the framework's).
# The kit's grade is always the release build of the reference's tree: the
# graded programs are built like the programs students run.

# The kit grade builds against is the release build of the reference's
# tree, in every variant: programs built by grade run sandboxed, where a
# sanitizer's leak check (it starts a tracer) or gcov's counters (files
# written at exit) would be refused; and Valgrind does not follow them.
GRADEKIT_B := $(BUILD)/release/solution
GRADEKIT := $(GRADEKIT_B)/gradekit
GRADE_PLAN := $(GRADEKIT)/plan.ini
GRADE_RESERVED := $(GRADEKIT)/reserved.txt

GRADE_SRC := $(sort $(wildcard grader/grade/*.c))
$(OBJ)/fw/grader/grade/%.o: CFLAGS += -Igrader -Igrader/grade -DGRADE_PLAN='"$(abspath $(GRADE_PLAN))"'
$(eval $(call program,grade,$(GRADE_SRC) grader/policy.c grader/report.c grader/runner.c \
    grader/replay.c grader/ranges.c grader/trace.c grader/sandbox.c grader/channel.c \
    grader/transcript.c grader/installed.c \
    $(MALLOC_FW),,$$(GRADER_LIBS) $$(call pkglibs,nettle libarchive)))
$(BIN)/grade: | gradekit

# grader: grade and what it builds submissions with, nothing else (what
# the course platforms' packages build, mk/autograder.mk).
.PHONY: grader
grader: $(BIN)/grade

# bench-grade: what grading one submission costs (mk/bench-grade).
.PHONY: bench-grade
BENCHES += bench-grade
bench-grade: $(BIN)/grade $(BIN)/mdriver
	mk/bench-grade $(BIN)

# The test hook (grader/testhook.c) goes into the graded test programs.
GRADE_HOOK_FW := grader/testhook.c grader/sandbox.c grader/channel.c
ALL_OBJS += $(call fw_objs,$(GRADE_HOOK_FW))
$(OBJ)/fw/grader/testhook.o: CFLAGS += -Igrader

# What each graded program is made of. Objects are absolute paths; the
# sources under "compile" are compiled again for every submission (they
# include a student's header); "tests" are the public tests' objects,
# which a program of hidden tests (hidden_LAB) leaves out.
GRADE_MDRIVER_OBJS := $(call fw_objs,$(MDRIVER_FW)) $(REF_OBJ)
GRADE_TMALLOC_SRC := $(sort $(wildcard handout/tests/malloc/*.c))
GRADE_TMALLOC_OBJS := $(call fw_objs,$(MALLOC_FW) $(GRADE_HOOK_FW))
GRADE_TVM_OBJS := $(call fw_objs,$(VM_FW) handout/tests/vm/vmtest.c $(GRADE_HOOK_FW))
GRADE_TVM_TESTS := $(call fw_objs,$(filter-out handout/tests/vm/vmtest.c,$(sort $(wildcard handout/tests/vm/*.c))))
GRADE_VMSH_OBJS := $(call fw_objs,$(VM_FW) $(VMSH_CORE) tools/vmsh/main.c)
GRADE_HOOK_LDFLAGS := -Wl,--wrap=criterion_internal_test_setup -Wl,--wrap=criterion_internal_test_teardown
GRADE_ALL_OBJS := $(sort $(GRADE_MDRIVER_OBJS) $(GRADE_TMALLOC_OBJS) $(GRADE_TVM_OBJS) \
                          $(GRADE_TVM_TESTS) $(GRADE_VMSH_OBJS))
abs = $(abspath $(1))

# What the vm lab's code may call besides the machine's functions (its
# writeup: the C library's string functions), and what the compiler calls
# on its own.
GRADE_VM_LIBC := memset memcpy memmove memcmp memchr memrchr strlen strnlen strcmp strncmp \
    strchr strrchr strstr strcpy strncpy stpcpy stpncpy strcat strncat strspn strcspn strpbrk \
    __memcpy_chk __memset_chk __memmove_chk __strcpy_chk __stpcpy_chk __strcat_chk \
    __strncpy_chk __strncat_chk __stack_chk_fail __assert_fail abort _GLOBAL_OFFSET_TABLE_ \
    __popcountdi2 __clzdi2 __ctzdi2 __ffsdi2 __divti3 __udivti3 __modti3 __umodti3

# The student's API: the names the student-owned files define (the
# implementation's objects; every implementation defines the same).
grade_api = $$(nm -g --defined-only $(call impl_objs,$(1)) | awk 'NF == 3 { print $$3 }' | sort -u)

ifeq ($(VARIANT)-$(IMPL_NAME),release-solution)
$(GRADE_PLAN): Makefile mk/grade.mk mk/malloc.mk mk/mdriver.mk mk/vm.mk mk/vmsh.mk \
               handout/STUDENT_FILES grader/forbidden-calls $(GRADE_ALL_OBJS) \
               $(call impl_objs,$(MALLOC_STUDENT) $(VM_STUDENT)) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(call say,GEN,$@)
	@{ echo "; the plan grade builds submissions by (made by mk/grade.mk; do not edit)"; \
	  echo "[kit]"; \
	  echo "root = $(CURDIR)"; \
	  echo "cc = $(CC)"; \
	  echo "cflags = $(CSTD) -Wall -Wextra -O2 -g"; \
	  echo "includes ="; printf '  %s\n' $(call abs,handout/malloc handout/common handout/tests handout/tests/vm handout/vm); \
	  echo "student_files ="; printf '  %s\n' $(STUDENT_FILES); \
	  echo "forbidden = $(CURDIR)/grader/forbidden-calls"; \
	  echo "reserved = $(abspath $(GRADE_RESERVED))"; \
	  echo "skeleton = $(CURDIR)/handout"; \
	  echo "traces = $(CURDIR)/traces/malloc"; \
	  echo "scenarios = $(CURDIR)/traces/vm"; \
	  echo "refs = $(CURDIR)/traces/refs"; \
	  echo "policy = $(CURDIR)/grader/policy.ini"; \
	  echo "[lab malloc]"; \
	  echo "files ="; printf '  %s\n' $(filter malloc/%,$(STUDENT_FILES)); \
	  echo "api ="; printf '  %s\n' $(call grade_api,$(MALLOC_STUDENT)); \
	  echo "[lab vm]"; \
	  echo "files ="; printf '  %s\n' $(filter vm/%,$(STUDENT_FILES)); \
	  echo "api ="; printf '  %s\n' $(call grade_api,$(VM_STUDENT)); \
	  echo "calls ="; printf '  %s\n' $(GRADE_VM_LIBC) \
	      $$(nm -g --defined-only $(call fw_objs,$(VM_FW)) | awk 'NF == 3 { print $$3 }' | sort -u); \
	  echo "[program mdriver]"; \
	  echo "lab = malloc"; \
	  echo "objects ="; printf '  %s\n' $(call abs,$(GRADE_MDRIVER_OBJS)); \
	  echo "libs = $(call pkglibs,libcjson inih libseccomp) -lm"; \
	  echo "kit = $(abspath $(BIN)/mdriver)"; \
	  echo "[program test_malloc]"; \
	  echo "lab = malloc"; \
	  echo "compile ="; printf '  %s\n' $(call abs,$(GRADE_TMALLOC_SRC)); \
	  echo "objects ="; printf '  %s\n' $(call abs,$(GRADE_TMALLOC_OBJS)); \
	  echo "libs = $(call pkglibs,criterion libcjson libseccomp)"; \
	  echo "ldflags = $(GRADE_HOOK_LDFLAGS)"; \
	  echo "kit = $(abspath $(BIN)/test_malloc)"; \
	  echo "[program test_vm]"; \
	  echo "lab = vm"; \
	  echo "objects ="; printf '  %s\n' $(call abs,$(GRADE_TVM_OBJS)); \
	  echo "tests ="; printf '  %s\n' $(call abs,$(GRADE_TVM_TESTS)); \
	  echo "libs = $(call pkglibs,criterion libcjson libseccomp)"; \
	  echo "ldflags = $(GRADE_HOOK_LDFLAGS)"; \
	  echo "kit = $(abspath $(BIN)/test_vm)"; \
	  echo "[program vmsh]"; \
	  echo "lab = vm"; \
	  echo "objects ="; printf '  %s\n' $(call abs,$(GRADE_VMSH_OBJS)); \
	  echo "libs = $(call pkglibs,readline libseccomp)"; \
	} > $@.tmp && mv $@.tmp $@
	@{ nm -D --defined-only $$($(CC) -print-file-name=libc.so.6) | awk '{ print $$3 }' | sed 's/@.*//'; \
	   nm -g --defined-only $(GRADE_ALL_OBJS) 2>/dev/null | awk 'NF == 3 { print $$3 }'; \
	} | sort -u > $(GRADE_RESERVED)

.PHONY: gradekit
gradekit: $(GRADE_PLAN) $(GRADE_ALL_OBJS) $(call impl_objs,$(MALLOC_STUDENT) $(VM_STUDENT)) \
          $(BIN)/test_malloc $(BIN)/test_vm $(BIN)/mdriver
else
.PHONY: gradekit
gradekit:
	@$(MAKE) --no-print-directory VARIANT=release IMPL=solution gradekit
endif

# The kit's tests of grade: its parts in-process, and grade as a TA runs it
# on a folder of hostile and broken submissions (tests/grade/cases).
GRADE_TEST_FW := $(filter-out grader/grade/main.c,$(GRADE_SRC)) grader/policy.c grader/report.c \
    grader/runner.c grader/replay.c grader/ranges.c grader/trace.c grader/sandbox.c \
    grader/channel.c grader/transcript.c $(MALLOC_FW) $(sort $(wildcard tests/grade/*.c))
$(eval $(call kittest,test_grade,$(GRADE_TEST_FW),,$$(GRADER_LIBS) $$(call pkglibs,nettle libarchive)))
$(OBJ)/fw/tests/grade/%.o: CFLAGS += -Igrader -Igrader/grade -DKIT_ROOT='"$(CURDIR)"' \
    -DGRADE_BIN='"$(abspath $(BIN))"' -DGRADE_PLAN='"$(abspath $(GRADE_PLAN))"'
$(BIN)/test_grade: | $(BIN)/grade gradekit
