# mk/heapviz.mk - tools/heapviz: pictures of the heap of IMPL's mm.c as it
# replays a trace (the heap map, an HTML page; the heap's words at a line).
#
# The page's script and style sheet are kept as files of their own and
# built into the program as C strings (heapviz.js.inc, heapviz.css.inc).

HEAPVIZ_FW := tools/heapviz/main.c tools/heapviz/replay.c tools/heapviz/walk.c \
              tools/heapviz/html.c grader/trace.c grader/policy.c $(MALLOC_FW)
HEAPVIZ_GEN := $(OBJ)/gen/heapviz
HEAPVIZ_LIBS = $(call pkglibs,libcjson inih)

$(eval $(call program,heapviz,$(HEAPVIZ_FW),$(MALLOC_STUDENT),$$(HEAPVIZ_LIBS)))

$(OBJ)/fw/tools/heapviz/%.o: CFLAGS += -Igrader -I$(HEAPVIZ_GEN) -DHEAPVIZ_IMPL='"$(IMPL)"'
$(OBJ)/fw/tools/heapviz/html.o: $(HEAPVIZ_GEN)/heapviz.js.inc $(HEAPVIZ_GEN)/heapviz.css.inc

# A text file as the body of a C string literal, a line per line.
$(HEAPVIZ_GEN)/%.inc: tools/heapviz/%
	@mkdir -p $(@D)
	$(call say,GEN,$@)
	$(Q)sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $< > $@

# The tests' own heapviz programs: with a student's allocator of another
# style (tests/tools/heapviz/implicit.c: CS:APP's implicit list, its own
# heap edges, bugs on purpose), with the least allocator of the
# reference's edges (bump.c: no block until the first malloc, one bug), and
# with the skeleton, whose functions are not written yet. The kit's tests
# only (IMPL=solution).
ifneq ($(wildcard solution/malloc/mm.c),)
HEAPVIZ_TEST_OBJ := $(OBJ)/heapviz-test
$(HEAPVIZ_TEST_OBJ)/implicit.o $(HEAPVIZ_TEST_OBJ)/bump.o: $(HEAPVIZ_TEST_OBJ)/%.o: \
        tests/tools/heapviz/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(call say,CC,$<)
	$(Q)$(CC) $(CFLAGS) -c -o $@ $<
$(HEAPVIZ_TEST_OBJ)/skeleton.o: handout/malloc/mm.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(call say,CC,$< [skeleton])
	$(Q)$(CC) $(filter-out -I%,$(CFLAGS)) -Ihandout/malloc -Ihandout/common -c -o $@ $<
$(BIN)/heapviz-implicit $(BIN)/heapviz-bump $(BIN)/heapviz-skeleton: $(BIN)/heapviz-%: \
        $(call fw_objs,$(HEAPVIZ_FW)) $(HEAPVIZ_TEST_OBJ)/%.o
	@mkdir -p $(@D)
	$(call say,LD,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(HEAPVIZ_LIBS)
ALL_OBJS += $(addprefix $(HEAPVIZ_TEST_OBJ)/,implicit.o bump.o skeleton.o)

$(eval $(call kittest,test_heapviz,tests/tools/test_heapviz.c tools/heapviz/walk.c,,$$(HEAPVIZ_LIBS)))
$(BIN)/test_heapviz: | $(BIN)/heapviz $(BIN)/heapviz-implicit $(BIN)/heapviz-bump \
    $(BIN)/heapviz-skeleton
$(OBJ)/fw/tests/tools/test_heapviz.o: CFLAGS += -Itools/heapviz -Igrader -DKIT_ROOT='"$(CURDIR)"'
endif

# The pictures in a real browser (mk/check-pictures): Debian's Chromium,
# installed when missing, opens the heap map of the largest shipped trace.
# (The students' handout has no mk/check-pictures: no such target there.)
ifneq ($(wildcard mk/check-pictures),)
.PHONY: check-pictures
check-pictures: $(BIN)/heapviz $(BIN)/mdriver
	@mk/deps mk/packages-pictures
	@mk/check-pictures $(BIN) $(B)/pictures
endif
