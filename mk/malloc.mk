# mk/malloc.mk - the malloc lab: its framework, its tests, the main job.

MALLOC_FW := handout/malloc/memlib.c handout/common/unimplemented.c
MALLOC_STUDENT := malloc/mm.c

$(eval $(call test,test_malloc,$(MALLOC_FW) $(wildcard handout/tests/malloc/*.c),$(MALLOC_STUDENT)))
LABS += malloc
LAB_TESTS_malloc := $(BIN)/test_malloc
$(eval $(call kittest,test_memlib,handout/malloc/memlib.c $(wildcard tests/malloc/*.c),))

# The main job: mdriver on the shipped traces, against IMPL's allocator.
run: $(BIN)/mdriver
	@echo "== $(BIN)/mdriver $(MDRIVER_FLAGS)"
	@$(BIN)/mdriver $(MDRIVER_FLAGS)

# What make memcheck runs besides the malloc lab's tests: mdriver, checking
# only (the timing runs add nothing to a memory check and are slow under
# Valgrind).
MEMCHECK_MAIN_malloc = $(BIN)/mdriver --no-timing

# The allocator benchmark: every shipped trace, the reference and the C
# library timed in the same run (ratios, not seconds, are the result).
BENCHES += bench-malloc
.PHONY: bench-malloc
bench-malloc: $(BIN)/mdriver
	$(BIN)/mdriver -l -v

# The skeleton's common parts.
$(eval $(call kittest,test_common,handout/common/unimplemented.c $(wildcard tests/common/*.c),))
$(OBJ)/fw/tests/common/%.o: CFLAGS += -DKIT_ROOT='"$(CURDIR)"'

# The malloc lab's public tests alone (make check runs every test), and
# the mdriver built with the same files, ready to run on the traces.
.PHONY: check-malloc
check-malloc: $(BIN)/test_malloc $(BIN)/mdriver
	@$(MAKE) --no-print-directory LAB=malloc test; status=$$?; \
	echo "mdriver for these files: $(BIN)/mdriver"; exit $$status
