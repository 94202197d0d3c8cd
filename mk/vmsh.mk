# mk/vmsh.mk - vmsh, the shell over the simulated machine (tools/vmsh), its
# tests (tests/vmsh), and its scenarios: traces/vm/*.vmsh, each with the
# golden transcript the reference makes of it (*.out).
#
#   make vmsh-golden    remake every *.out from the reference (IMPL=solution)
#
# vmsh links the machine as mk/vm.mk describes it: the framework sources
# (VM_FW) and the student-owned ones (VM_STUDENT, from IMPL).

VMSH_CORE := $(addprefix tools/vmsh/,batch.c cmd_file.c cmd_machine.c \
               cmd_memory.c cmd_paging.c cmd_proc.c cmd_replay.c cmd_shell.c \
               cmd_state.c cmd_translate.c commands.c complete.c interactive.c \
               hostfile.c parse.c print.c session.c) grader/sandbox.c grader/channel.c
VMSH_LIBS = $(call pkglibs,readline libseccomp)

$(eval $(call program,vmsh,$(VM_FW) $(VMSH_CORE) tools/vmsh/main.c,$(VM_STUDENT),$$(VMSH_LIBS)))

$(OBJ)/fw/tools/vmsh/%.o: CFLAGS += -Itools/vmsh -Igrader

# The tests: vmsh's parts in-process (test_vmsh), and vmsh as a user runs
# it, batch and under a pseudo-terminal; the golden scenarios, one test
# each (test_vmsh_scenarios). Both run the vmsh program beside them.
VMSH_TEST_FW := $(VM_FW) $(VMSH_CORE) tests/vmsh/vmshtest.c
$(eval $(call kittest,test_vmsh,$(VMSH_TEST_FW) $(filter-out tests/vmsh/test_scenarios.c,$(sort $(wildcard tests/vmsh/test_*.c))),$(VM_STUDENT),$$(VMSH_LIBS)))
$(eval $(call test,test_vmsh_scenarios,$(VMSH_TEST_FW) tests/vmsh/test_scenarios.c grader/transcript.c,$(VM_STUDENT),$$(VMSH_LIBS)))
LAB_TESTS_vm += $(BIN)/test_vmsh_scenarios
$(BIN)/test_vmsh $(BIN)/test_vmsh_scenarios: | $(BIN)/vmsh
# test_vmsh runs test_vmsh_scenarios too: what its failures say.
$(BIN)/test_vmsh: | $(BIN)/test_vmsh_scenarios

# vmsh-stuck: vmsh whose every TLB lookup loops forever, as a student's
# code may (tests/vmsh/stuck_tlb.c, put in tlb_lookup's place by the
# linker's --wrap), for test_vmsh's tests of Ctrl-C and of deadlines. Like
# the kit's tests, it is built with IMPL=solution only.
$(eval $(call program,vmsh-stuck,$(VM_FW) $(VMSH_CORE) tools/vmsh/main.c tests/vmsh/stuck_tlb.c,$(VM_STUDENT),-Xlinker --wrap=tlb_lookup $$(VMSH_LIBS)))
PROGRAMS := $(filter-out $(BIN)/vmsh-stuck,$(PROGRAMS))
$(BIN)/test_vmsh: | $(BIN)/vmsh-stuck
$(OBJ)/fw/tests/vmsh/%.o: CFLAGS += -Itools/vmsh -Igrader -DKIT_ROOT='"$(CURDIR)"'

# One test per scenario: the list is made from traces/vm/*.vmsh, and
# rewritten only when it changes, so adding a scenario rebuilds the test.
VMSH_SCENARIOS := $(sort $(wildcard traces/vm/*.vmsh))
VMSH_SCENARIO_LIST := $(OBJ)/gen/vmsh/scenarios.h
$(OBJ)/fw/tests/vmsh/test_scenarios.o: CFLAGS += -I$(OBJ)/gen/vmsh
$(OBJ)/fw/tests/vmsh/test_scenarios.o: $(VMSH_SCENARIO_LIST)
$(VMSH_SCENARIO_LIST): vmsh-scenario-list
	@:
.PHONY: vmsh-scenario-list
vmsh-scenario-list:
	@mkdir -p $(dir $(VMSH_SCENARIO_LIST))
	@for f in $(VMSH_SCENARIOS); do n=$$(basename $$f .vmsh); \
	    printf 'SCENARIO(%s, "%s")\n' "$$(printf %s "$$n" | tr -c 'A-Za-z0-9_\n' _)" "$$n"; \
	done > $(VMSH_SCENARIO_LIST).tmp
	@cmp -s $(VMSH_SCENARIO_LIST).tmp $(VMSH_SCENARIO_LIST) || \
	    mv $(VMSH_SCENARIO_LIST).tmp $(VMSH_SCENARIO_LIST)
	@rm -f $(VMSH_SCENARIO_LIST).tmp

# The goldens come from the reference, run where the tests run it: in
# traces/vm, as vmsh -f NAME.vmsh, both streams in one file.
.PHONY: vmsh-golden
ifeq ($(IMPL),solution)
vmsh-golden: $(BIN)/vmsh
	@cd traces/vm && for f in *.vmsh; do \
	    $(abspath $(BIN))/vmsh -f "$$f" > "$${f%.vmsh}.out" 2>&1 || exit 1; \
	    echo "  GOLDEN traces/vm/$${f%.vmsh}.out"; \
	done
else
vmsh-golden:
	@echo "vmsh-golden: the goldens come from the reference: run it with IMPL=solution" >&2
	@exit 1
endif
