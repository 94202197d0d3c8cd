# mk/handout.mk - make handout: the students' tarball.
#
# What students get: the framework and skeletons (handout/), the public
# tests, mdriver's, vmsh's, tracegen's, mtrace's and heapviz's sources, the shipped
# traces and scenarios, the student docs, and this kit's Makefile with the
# fragments that build those. No solution/, no kit tests, no grader of
# submissions, no hidden material. Without solution/ the Makefile builds
# the skeletons (IMPL=handout) and mdriver measures throughput against the
# C library. The tarball's README is mk/handout-README.md.

HANDOUT_NAME := memlabs-handout
HANDOUT_TAR := $(BUILD)/$(HANDOUT_NAME).tar.gz
HANDOUT_MK := mk/malloc.mk mk/mdriver.mk mk/vm.mk mk/vmsh.mk mk/tracegen.mk mk/mtrace.mk \
    mk/heapviz.mk
HANDOUT_GRADER := $(GRADER_LIB) $(GRADER_LIB:.c=.h) grader/xml.h grader/allocators.c grader/allocators.h \
    grader/mdriver.c grader/installed.c grader/installed.h grader/transcript.c \
    grader/transcript.h grader/policy.ini \
    grader/forbidden-calls
HANDOUT_DOCS := docs/malloc-lab.md docs/mdriver.md docs/heapviz.md docs/vm-lab.md docs/vmsh.md \
    docs/grading-policy.md
HANDOUT_FILES = Makefile .gitignore mk/packages mk/deps mk/run-tests mk/check-symbols \
    mk/valgrind.supp $(HANDOUT_MK) $(HANDOUT_GRADER) $(HANDOUT_DOCS) \
    tests/vmsh/vmshtest.c tests/vmsh/vmshtest.h tests/vmsh/test_scenarios.c \
    $(shell find handout tools traces -type f ! -name '*.o' ! -name '*.d' | sort)

.PHONY: handout
handout: $(HANDOUT_TAR)
	@echo "handout: $(HANDOUT_TAR) ($$(tar tzf $(HANDOUT_TAR) | grep -vc '/$$') files)"

# The same files give the same bytes: names sorted, owner and times fixed.
$(HANDOUT_TAR): $(HANDOUT_FILES) mk/handout-README.md mk/handout.mk
	$(call say,TAR,$@)
	@rm -rf $(BUILD)/handout-tree && mkdir -p $(BUILD)/handout-tree/$(HANDOUT_NAME)
	@cp --parents $(HANDOUT_FILES) $(BUILD)/handout-tree/$(HANDOUT_NAME)
	@cp mk/handout-README.md $(BUILD)/handout-tree/$(HANDOUT_NAME)/README.md
	@tar cf - -C $(BUILD)/handout-tree --sort=name --owner=0 --group=0 --numeric-owner \
	    --mtime=@0 $(HANDOUT_NAME) | gzip -n > $@.tmp
	@mv $@.tmp $@ && rm -rf $(BUILD)/handout-tree

# The tarball as a student meets it (mk/check-handout); CI runs it.
.PHONY: check-handout
check-handout: $(HANDOUT_TAR)
	@mk/check-handout $(HANDOUT_TAR)
