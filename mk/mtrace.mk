# mk/mtrace.mk - tools/mtrace: libmtrace.so (the LD_PRELOAD recorder),
# mtrace-rep (logs -> .rep) and mtrace (runs a command under the recorder,
# then converts).
#
# The converter builds and writes its trace with the grader's trace module
# (grader/trace.c). The recorder runs inside other programs: it is
# recorder.c alone, and links nothing of the grader.

MTRACE_CORE := tools/mtrace/convert.c tools/mtrace/logfile.c tools/mtrace/options.c \
               tools/mtrace/ptrmap.c grader/trace.c
$(OBJ)/fw/tools/mtrace/%.o: CFLAGS += -Igrader

$(eval $(call program,mtrace-rep,tools/mtrace/mtrace_rep.c $(MTRACE_CORE),,))
$(eval $(call program,mtrace,tools/mtrace/mtrace.c grader/installed.c $(MTRACE_CORE),,))

# The recorder and the test victims run inside other programs' processes,
# which cannot host a sanitizer runtime (it must be loaded first) or gcov's
# counters: they are built without either in every variant.
MTRACE_PLAIN_CFLAGS = $(filter-out -fsanitize% -fno-sanitize% --coverage,$(CFLAGS))
MTRACE_LIB := $(BIN)/libmtrace.so
MTRACE_LIB_OBJ := $(OBJ)/pic/tools/mtrace/recorder.o

$(OBJ)/pic/tools/mtrace/%.o: tools/mtrace/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(call say,CC,$< [-fPIC])
	$(Q)$(CC) $(MTRACE_PLAIN_CFLAGS) -fPIC -c -o $@ $<
$(MTRACE_LIB): $(MTRACE_LIB_OBJ)
	@mkdir -p $(@D)
	$(call say,LD,$@)
	$(Q)$(CC) -shared -o $@ $^ -ldl -pthread

# Victims: small programs whose allocations the tests know in advance.
MTRACE_VICTIMS := $(addprefix $(BIN)/mtrace-victim-,basic threads fork)
$(OBJ)/plain/tests/tools/mtrace_victim_%.o: tests/tools/mtrace_victim_%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(call say,CC,$<)
	$(Q)$(CC) $(MTRACE_PLAIN_CFLAGS) -c -o $@ $<
$(MTRACE_VICTIMS): $(BIN)/mtrace-victim-%: $(OBJ)/plain/tests/tools/mtrace_victim_%.o
	@mkdir -p $(@D)
	$(call say,LD,$@)
	$(Q)$(CC) -o $@ $^ -pthread

# The victims are the kit's tests' programs (built with them, not by build).
PROGRAMS += $(MTRACE_LIB)
ALL_OBJS += $(MTRACE_LIB_OBJ) $(patsubst $(BIN)/mtrace-victim-%,$(OBJ)/plain/tests/tools/mtrace_victim_%.o,$(MTRACE_VICTIMS))

$(eval $(call kittest,test_mtrace,tests/tools/test_mtrace.c $(MTRACE_CORE),,))
# The test runs the tools and the victims: they must exist first.
$(BIN)/test_mtrace: | $(BIN)/mtrace $(BIN)/mtrace-rep $(MTRACE_LIB) $(MTRACE_VICTIMS) $(BIN)/mdriver
$(OBJ)/fw/tests/tools/test_mtrace.o: CFLAGS += -Itools/mtrace -Igrader -DMTRACE_TRACEDIR='"$(CURDIR)/traces/malloc"'

# The command lines of tracegen, mtrace and mtrace-rep, run as users run them.
$(eval $(call kittest,test_tools_cli,tests/tools/test_tools_cli.c,,))
$(BIN)/test_tools_cli: | $(BIN)/tracegen $(BIN)/mtrace $(BIN)/mtrace-rep $(MTRACE_LIB) $(MTRACE_VICTIMS)
