# mk/vm.mk - the vm lab: the simulated machine (framework), the student
# parts, the public tests, the kit's own tests, and vmbench.
#
# For another program over the machine (vmsh, the grader):
#   VM_FW       framework sources, to give to $(call program,...) as is
#   VM_STUDENT  the student-owned sources, paths inside IMPL
#   VM_LIB      the framework as an archive, $(OBJ)/vm/libvm.a, for those who
#               prefer to link it (add it as a prerequisite and after the
#               objects on the link line)

CFLAGS += -Ihandout/vm

VM_FW := $(addprefix handout/vm/,check.c disk.c explain.c frame.c log.c \
           huge.c machine.c mman.c pagecache.c pagetable.c panic.c proc.c \
           refstream.c replace.c stats.c swap.c vma.c) \
         handout/common/unimplemented.c
VM_STUDENT := $(addprefix vm/,mmu.c tlb.c fault.c clock.c pageout.c mmap.c \
                cow.c fork.c)
VM_LIB := $(OBJ)/vm/libvm.a

ALL_OBJS += $(call fw_objs,$(VM_FW))
$(VM_LIB): $(call fw_objs,$(VM_FW))
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

# Public tests (part A, B, C suites) and the kit's tests of the framework,
# which share the public tests' helpers (vmtest.h).
$(OBJ)/fw/tests/vm/%.o: CFLAGS += -Ihandout/tests/vm -DKIT_ROOT='"$(CURDIR)"'
$(eval $(call test,test_vm,$(VM_FW) $(sort $(wildcard handout/tests/vm/*.c)),$(VM_STUDENT)))
LABS += vm
LAB_TESTS_vm += $(BIN)/test_vm
$(eval $(call kittest,test_vm_kit,$(VM_FW) $(sort $(wildcard tests/vm/*.c)) handout/tests/vm/vmtest.c,$(VM_STUDENT)))

$(eval $(call program,vmbench,$(VM_FW) handout/vm/vmbench.c,$(VM_STUDENT)))

# bench-vm: replay a Valgrind lackey log of a real program (gzip compressing
# the machine's own sources; made at run time, never committed: it is tens
# of megabytes) through the TLB and page tables, and time OPT over a
# 1-million-reference stream.
VM_LACKEY := $(BUILD)/vm/gzip.lackey
VM_LACKEY_INPUT := handout/vm/check.c handout/vm/machine.c handout/vm/frame.c
$(VM_LACKEY): $(VM_LACKEY_INPUT) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	valgrind --tool=lackey --trace-mem=yes --log-file=$@.tmp \
	    gzip -6 -c $(VM_LACKEY_INPUT) >/dev/null
	@mv $@.tmp $@

.PHONY: bench-vm
BENCHES += bench-vm
bench-vm: $(BIN)/vmbench $(VM_LACKEY)
	$(BIN)/vmbench $(VM_LACKEY)

# The vm lab's public tests alone: the unit tests, then the scenarios.
.PHONY: check-vm
check-vm: $(BIN)/test_vm $(BIN)/test_vmsh_scenarios
	@$(MAKE) --no-print-directory LAB=vm test
