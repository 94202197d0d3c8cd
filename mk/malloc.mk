# mk/malloc.mk - the malloc lab: its framework, its tests, the main job.

MALLOC_FW := handout/malloc/memlib.c handout/common/unimplemented.c
MALLOC_STUDENT := malloc/mm.c

$(eval $(call test,test_malloc,$(MALLOC_FW) $(wildcard handout/tests/malloc/*.c),$(MALLOC_STUDENT)))

run: $(BIN)/test_malloc
	$(BIN)/test_malloc --short-filename
