# mk/mdriver.mk - the trace-driven grader of the malloc lab.
#
# mdriver links the student's mm.c (from IMPL) and the reference mm.c a
# second time, its public names prefixed ref_, so both are timed in one run.

GRADER_LIB := grader/trace.c grader/ranges.c grader/replay.c grader/runner.c \
              grader/policy.c grader/report.c grader/sandbox.c grader/channel.c
GRADER_LIBS = $(call pkglibs,libcjson inih libseccomp) -lm
MDRIVER_FW := $(GRADER_LIB) grader/allocators.c grader/installed.c grader/mdriver.c $(MALLOC_FW)
REF_OBJ := $(OBJ)/ref/malloc/mm.o
REF_RENAME := $(foreach f,mm_init mm_malloc mm_free mm_realloc mm_check_heap,-D$(f)=ref_$(f))

# The students' handout has no reference: its mdriver measures throughput
# against the C library instead (grader/allocators.c).
ifneq ($(wildcard solution/malloc/mm.c),)
$(OBJ)/fw/grader/%.o: CFLAGS += -Igrader -DMDRIVER_REFERENCE \
    -DMDRIVER_TRACEDIR='"$(CURDIR)/traces/malloc"'

# The reference, with solution/ first on the include path for its mminline.h.
$(REF_OBJ): solution/malloc/mm.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(call say,CC,$< [reference: ref_*])
	$(Q)$(CC) $(filter-out -I%,$(CFLAGS)) -Isolution/malloc -Ihandout/malloc -Ihandout/common \
	    $(REF_RENAME) -c -o $@ $<
ALL_OBJS += $(REF_OBJ)
$(BIN)/mdriver: $(REF_OBJ)
else
$(OBJ)/fw/grader/%.o: CFLAGS += -Igrader -DMDRIVER_TRACEDIR='"$(CURDIR)/traces/malloc"'
endif

$(eval $(call program,mdriver,$(MDRIVER_FW),$(MALLOC_STUDENT),$$(GRADER_LIBS)))
