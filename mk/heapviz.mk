# mk/heapviz.mk - tools/heapviz: pictures of the heap of IMPL's mm.c as it
# replays a trace (the heap map, an HTML page; the heap's words at a line).
#
# The page's script and style sheet are kept as files of their own and
# built into the program as C strings (heapviz.js.inc, heapviz.css.inc).

HEAPVIZ_FW := tools/heapviz/main.c tools/heapviz/replay.c tools/heapviz/walk.c \
              tools/heapviz/html.c grader/trace.c $(MALLOC_FW)
HEAPVIZ_GEN := $(OBJ)/gen/heapviz
HEAPVIZ_LIBS = $(call pkglibs,libcjson)

$(eval $(call program,heapviz,$(HEAPVIZ_FW),$(MALLOC_STUDENT),$$(HEAPVIZ_LIBS)))

$(OBJ)/fw/tools/heapviz/%.o: CFLAGS += -Igrader -I$(HEAPVIZ_GEN) -DHEAPVIZ_IMPL='"$(IMPL)"'
$(OBJ)/fw/tools/heapviz/html.o: $(HEAPVIZ_GEN)/heapviz.js.inc $(HEAPVIZ_GEN)/heapviz.css.inc

# A text file as the body of a C string literal, a line per line.
$(HEAPVIZ_GEN)/%.inc: tools/heapviz/%
	@mkdir -p $(@D)
	$(call say,GEN,$@)
	$(Q)sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $< > $@
