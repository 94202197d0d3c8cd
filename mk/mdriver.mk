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

# The lecture's experiment: do accessor functions cost anything? The
# reference's mm.c four ways -- its inline functions, or the same accessors
# as macros (solution/malloc/mmmacros.h), each at -O0 and at -O2 -- each in
# an mdriver of its own, timed against the reference as every mdriver has it
# (inline functions, -O2) in the same run: the ratios are the result.
ifneq ($(wildcard solution/malloc/mm.c),)
ACCESSOR_VARIANTS := inline-O0 macros-O0 inline-O2 macros-O2
$(OBJ)/accessors/mm-%.o: solution/malloc/mm.c solution/malloc/mminline.h \
                         solution/malloc/mmmacros.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(call say,CC,$< [$*])
	$(Q)$(CC) $(filter-out -I% -O%,$(CFLAGS)) $(if $(findstring macros,$*),-DMM_MACROS) \
	    -O$(lastword $(subst -O, ,$*)) -Isolution/malloc -Ihandout/malloc -Ihandout/common \
	    -c -o $@ $<
$(BIN)/mdriver-accessors-%: $(call fw_objs,$(MDRIVER_FW)) $(REF_OBJ) $(OBJ)/accessors/mm-%.o
	@mkdir -p $(@D)
	$(call say,LD,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(GRADER_LIBS)
BENCHES += bench-accessors
.PHONY: bench-accessors
.PRECIOUS: $(OBJ)/accessors/mm-%.o
bench-accessors: $(addprefix $(BIN)/mdriver-accessors-,$(ACCESSOR_VARIANTS))
	@mk/bench-accessors $(BIN) $(ACCESSOR_VARIANTS)
endif
