# mk/fuzz.mk - fuzzing with clang's libFuzzer (docs/fuzzing.md): the malloc
# trace reader, vmsh's commands and the policy readers, each a target in
# tests/fuzz/.
#
#   make fuzz             build the targets, run each for FUZZ_SECONDS (60)
#   make fuzz-smoke       run each for FUZZ_SMOKE_SECONDS (10), as CI does
#   make fuzz-trace, fuzz-vmsh, fuzz-policy    one target
#   make fuzz-build       build them only
#
# The targets are built with clang, AddressSanitizer, UBSan and libFuzzer's
# coverage, into $(BUILD)/fuzz/ and nowhere else, from the kit's source
# lists with the reference's student files. A run starts from the seeds
# (made from the shipped traces, scenarios and policies, and
# tests/fuzz/corpus/NAME, the inputs of past findings) and from the corpus
# earlier runs grew ($(BUILD)/fuzz/corpus/NAME). An input that crashes,
# leaks, breaks one of the target's checks, runs past FUZZ_TIMEOUT seconds
# or asks for more than FUZZ_MALLOC_MB MiB at once fails the run; it is
# kept in $(BUILD)/fuzz/findings/, named after the target and what it did
# (vmsh-crash-SHA1, trace-oom-SHA1, policy-leak-SHA1...).
#
# The rules are read only when a fuzz goal is asked for. This fragment is
# read before mk/vm.mk and mk/vmsh.mk, whose source lists the vmsh target
# is built from, so the binaries' prerequisites are expanded a second time
# (.SECONDEXPANSION), when every list is known. In the make that reads
# them, the other fragments' prerequisites are expanded twice too, which
# changes nothing: once expanded, they hold no '$'.

FUZZ_TARGETS := trace vmsh policy
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 10
FUZZ_TIMEOUT ?= 10
# MiB one allocation may take: no input of a few KiB needs more.
FUZZ_MALLOC_MB ?= 256

ifneq ($(filter fuzz fuzz-%,$(MAKECMDGOALS)),)

FUZZ := $(BUILD)/fuzz
FUZZ_CC ?= clang
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
# clang's -Wextra, unlike gcc's, counts { NULL } as leaving fields out.
FUZZ_CFLAGS = $(CSTD) $(WARN) -Wno-missing-field-initializers -O1 -g \
    -fno-omit-frame-pointer $(FUZZ_SAN) -fsanitize=fuzzer-no-link \
    -Isolution/malloc -Ihandout/malloc -Ihandout/common -Ihandout/vm -Igrader \
    -DKIT_ROOT='"$(CURDIR)"' -MMD -MP
fuzz_objs = $(patsubst %.c,$(FUZZ)/obj/%.o,$(1))

# What each target is made of, and the largest input it is given.
FUZZ_SRC_trace := tests/fuzz/fuzz_trace.c grader/trace.c
FUZZ_MAX_LEN_trace := 4096

# vmsh's commands on the machine with the reference's files. The wrapped
# functions bound what one input may ask for (tests/fuzz/fuzz_vmsh.c).
FUZZ_SRC_vmsh = tests/fuzz/fuzz_vmsh.c $(VM_FW) $(VMSH_CORE) $(addprefix solution/,$(VM_STUDENT))
FUZZ_LIBS_vmsh = $(VMSH_LIBS) $(foreach f,vm_access replace_run disk_file_create \
    vm_config_check vm_panic_set_handler,-Xlinker --wrap=$(f))
FUZZ_MAX_LEN_vmsh := 2048
$(FUZZ)/obj/tools/vmsh/%.o: FUZZ_CFLAGS += -Itools/vmsh
$(FUZZ)/obj/tests/fuzz/fuzz_vmsh.o: FUZZ_CFLAGS += -Itools/vmsh

FUZZ_SRC_policy := tests/fuzz/fuzz_policy.c grader/policy.c grader/grade/parts.c \
    grader/grade/plan.c
FUZZ_LIBS_policy = $(call pkglibs,inih)
FUZZ_MAX_LEN_policy := 4096
$(FUZZ)/obj/grader/grade/%.o: FUZZ_CFLAGS += -Igrader/grade
$(FUZZ)/obj/tests/fuzz/fuzz_policy.o: FUZZ_CFLAGS += -Igrader/grade

$(FUZZ)/obj/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(call say,CC,$< [fuzz])
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

# Objects are made by a pattern rule for a pattern rule: intermediate files
# to make, which it would remove after the link.
.PRECIOUS: $(FUZZ)/obj/%.o
.SECONDEXPANSION:
$(FUZZ)/bin/fuzz_%: $$(call fuzz_objs,$$(FUZZ_SRC_$$*))
	@mkdir -p $(@D)
	$(call say,LD,$@)
	$(Q)$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(FUZZ_LIBS_$*)

-include $(shell find $(FUZZ)/obj -name '*.d' 2>/dev/null)

# --- Seeds -------------------------------------------------------------------
# The shipped traces, cut to their first 200 operations (the header's
# count made to match): every kind of line is there, and the rest of a
# trace would only make each input slower. The scenarios with their
# include, and the policy files, as they are.
FUZZ_SEEDS_trace := $(patsubst traces/malloc/%,$(FUZZ)/seeds/trace/%,$(wildcard traces/malloc/*.rep))
$(FUZZ)/seeds/trace/%.rep: traces/malloc/%.rep
	@mkdir -p $(@D)
	@awk 'NR <= 4 { h[NR] = $$0; next } NR <= 204 { op[++n] = $$0 } \
	     END { print h[1]; print h[2]; print n; print h[4]; for (i = 1; i <= n; i++) print op[i] }' \
	     $< > $@

# $(call fuzz_seed,TARGET,FILE,NAME) - FILE as the seed NAME of TARGET.
define fuzz_seed
FUZZ_SEEDS_$(1) += $(FUZZ)/seeds/$(1)/$(3)
$(FUZZ)/seeds/$(1)/$(3): $(2)
	@mkdir -p $$(@D)
	@cp $$< $$@
endef
$(foreach f,$(wildcard traces/vm/*.vmsh traces/vm/include/*.vmsh),\
    $(eval $(call fuzz_seed,vmsh,$(f),$(notdir $(f)))))
$(foreach f,grader/policy.ini $(wildcard tests/grade/*.ini),\
    $(eval $(call fuzz_seed,policy,$(f),$(subst /,-,$(f)))))

# --- Runs --------------------------------------------------------------------
# $(call fuzz_run,NAME) - run target NAME for FUZZ_SECONDS, its output in
# $(FUZZ)/NAME.log. New inputs go to the first corpus folder. One line
# says how many inputs ran; on a finding, the end of the report, where the
# input is kept, and how to run it again.
define fuzz_run
.PHONY: fuzz-$(1)
fuzz-$(1): $(FUZZ)/bin/fuzz_$(1) $$(FUZZ_SEEDS_$(1))
	@mkdir -p $(FUZZ)/corpus/$(1) $(FUZZ)/findings
	@status=0; log=$(FUZZ)/$(1).log; \
	UBSAN_OPTIONS=print_stacktrace=1 $(FUZZ)/bin/fuzz_$(1) \
	    -max_total_time=$$(FUZZ_SECONDS) -timeout=$$(FUZZ_TIMEOUT) \
	    -malloc_limit_mb=$$(FUZZ_MALLOC_MB) \
	    -max_len=$(FUZZ_MAX_LEN_$(1)) -dict=tests/fuzz/$(1).dict \
	    -artifact_prefix=$(FUZZ)/findings/$(1)- -print_final_stats=1 \
	    $(FUZZ)/corpus/$(1) $(FUZZ)/seeds/$(1) $(wildcard tests/fuzz/corpus/$(1)) \
	    >$$$$log 2>&1 || status=$$$$?; \
	runs=$$$$(sed -n 's/^stat::number_of_executed_units: *//p' $$$$log); \
	if [ $$$$status = 0 ]; then \
	    echo "fuzz $(1): $$$${runs:-?} inputs in $$(FUZZ_SECONDS) s, no finding" \
	         "(corpus $$$$(ls $(FUZZ)/corpus/$(1) | wc -l) inputs)"; \
	else \
	    grep -v '^#[0-9]\|^INFO:\|^stat::\|^MS:\|^base unit:' $$$$log | tail -40; \
	    unit=$$$$(sed -n 's/.*Test unit written to //p' $$$$log); \
	    echo "fuzz $(1): FAILED after $$$${runs:-?} inputs; the input is $$$${unit:-not kept}" \
	         "(run it again: $(FUZZ)/bin/fuzz_$(1) $$$$unit; the whole log: $$$$log)"; \
	    exit 1; \
	fi
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call fuzz_run,$(t))))

.PHONY: fuzz fuzz-smoke fuzz-build
fuzz: $(addprefix fuzz-,$(FUZZ_TARGETS))

fuzz-smoke:
	@$(MAKE) --no-print-directory FUZZ_SECONDS=$(FUZZ_SMOKE_SECONDS) fuzz

fuzz-build: $(addprefix $(FUZZ)/bin/fuzz_,$(FUZZ_TARGETS))

endif
