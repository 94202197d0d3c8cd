# mk/grader-tests.mk - the tests of mdriver: its checks against deliberately
# broken allocators (tests/grader/broken/), the trace reader, the policy and
# the command line.
#
# The reference object and the rule that makes it come from mk/mdriver.mk.
# The command-line tests run $(BIN)/mdriver, found beside the test binary.

GRADER_TESTS_FW := $(GRADER_LIB) grader/allocators.c $(MALLOC_FW) \
                   $(wildcard tests/grader/*.c) $(wildcard tests/grader/broken/*.c)

$(eval $(call kittest,test_grader,$(GRADER_TESTS_FW),malloc/mm.c,$$(GRADER_LIBS)))
$(BIN)/test_grader: $(OBJ)/ref/malloc/mm.o | $(BIN)/mdriver

$(OBJ)/fw/tests/grader/%.o: CFLAGS += -Igrader -DKIT_ROOT='"$(CURDIR)"'
