# mk/tracegen.mk - tools/tracegen, the seeded malloc-trace generator, and its tests.
#
# The library (the patterns and the command line) is linked into both the
# tool and the test binary, with the trace module of the grader
# (grader/trace.c: the trace in memory, its builder, writer and checks).

TRACEGEN_LIB := tools/tracegen/patterns.c tools/tracegen/options.c grader/trace.c

$(eval $(call program,tracegen,$(TRACEGEN_LIB) tools/tracegen/main.c,,-lm))
$(eval $(call kittest,test_tracegen,$(TRACEGEN_LIB) tests/tools/test_tracegen.c,,-lm))

# The shipped traces must be exactly what traces/malloc/regen makes from
# this tracegen; make check fails when they drift.
.PHONY: tracegen traces-verify
tracegen: $(BIN)/tracegen

traces-verify: $(BIN)/tracegen
	@TRACEGEN=$(BIN)/tracegen traces/malloc/regen --verify

test: traces-verify
$(OBJ)/fw/tools/tracegen/%.o: CFLAGS += -Igrader
$(OBJ)/fw/tests/tools/test_tracegen.o: CFLAGS += -Itools/tracegen -Igrader
