# mk/autograder.mk - make autograder: the course platforms' packages.
#
#   $(BUILD)/autograder/gradescope.zip   setup.sh and run_autograder at its
#                                        top, the kit in memlabs/
#   $(BUILD)/autograder/autograde.tar    the kit in memlabs/, for Autolab,
#   $(BUILD)/autograder/autograde-Makefile  with its Makefile
#
# The kit is the files git tracks (the reference included: grade measures
# against it); the scripts are mk/autograder/'s. mk/check-autograder runs
# both packages in a scratch folder as the platforms do; CI runs it.

AUTOGRADER_DIR := $(BUILD)/autograder
GRADESCOPE_ZIP := $(AUTOGRADER_DIR)/gradescope.zip
AUTOLAB_TAR := $(AUTOGRADER_DIR)/autograde.tar
AUTOLAB_MAKEFILE := $(AUTOGRADER_DIR)/autograde-Makefile
KIT_FILES = $(shell git ls-files)

.PHONY: autograder check-autograder
autograder: $(GRADESCOPE_ZIP) $(AUTOLAB_TAR) $(AUTOLAB_MAKEFILE)
	@ls -l $^ | awk '{ printf "autograder: %s (%d KiB)\n", $$NF, $$5 / 1024 }'

# kit_tree - the kit's tracked files into $(1)/memlabs.
kit_tree = rm -rf $(1) && mkdir -p $(1)/memlabs && \
    git ls-files -z | xargs -0 cp --parents -t $(1)/memlabs

$(GRADESCOPE_ZIP): $(KIT_FILES) mk/autograder/setup.sh mk/autograder/run_autograder
	$(call say,ZIP,$@)
	@$(call kit_tree,$(AUTOGRADER_DIR)/gradescope)
	@cp mk/autograder/setup.sh mk/autograder/run_autograder $(AUTOGRADER_DIR)/gradescope/
	@rm -f $@ && cd $(AUTOGRADER_DIR)/gradescope && zip -qrX $(abspath $@) .
	@rm -rf $(AUTOGRADER_DIR)/gradescope

$(AUTOLAB_TAR): $(KIT_FILES)
	$(call say,TAR,$@)
	@$(call kit_tree,$(AUTOGRADER_DIR)/autolab)
	@tar cf $@ -C $(AUTOGRADER_DIR)/autolab --sort=name --owner=0 --group=0 --numeric-owner \
	    --mtime=@0 memlabs
	@rm -rf $(AUTOGRADER_DIR)/autolab

$(AUTOLAB_MAKEFILE): mk/autograder/autograde-Makefile
	@mkdir -p $(@D)
	@cp $< $@

check-autograder: autograder
	@mk/check-autograder $(AUTOGRADER_DIR)
