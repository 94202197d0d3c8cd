# mk/malloc.mk - the malloc lab: its framework, its tests, the main job.

MALLOC_FW := handout/malloc/memlib.c handout/common/unimplemented.c
MALLOC_STUDENT := malloc/mm.c

$(eval $(call test,test_malloc,$(MALLOC_FW) $(wildcard handout/tests/malloc/*.c),$(MALLOC_STUDENT)))

# The main job: mdriver on the shipped traces, against IMPL's allocator.
run: $(BIN)/mdriver
	$(BIN)/mdriver $(MDRIVER_FLAGS)
