# mk/install.mk - make install PREFIX=DIR (default /usr/local; DESTDIR too).
#
#   PREFIX/bin/                 grade, mdriver, vmsh, tracegen, mtrace, mtrace-rep
#   PREFIX/lib/memlabs/         libmtrace.so (mtrace preloads it)
#   PREFIX/share/man/man1/      their manual pages
#   PREFIX/share/memlabs/       the shipped traces and scenarios, and grade's
#                               kit: the framework's sources and headers, the
#                               skeletons, the public tests, the policy, and
#                               kit/ (the objects and programs submissions
#                               are built and checked against, the plan)
#
# The programs find these relative to themselves (grader/installed.h), so
# they work from any directory, and with the kit's source tree gone. What
# is installed is the release build of the reference's tree, as grade's
# kit always is.

PREFIX ?= /usr/local
INSTALL_BIN := $(DESTDIR)$(PREFIX)/bin
INSTALL_LIB := $(DESTDIR)$(PREFIX)/lib/memlabs
INSTALL_MAN := $(DESTDIR)$(PREFIX)/share/man/man1
INSTALL_SHARE := $(DESTDIR)$(PREFIX)/share/memlabs
INSTALL_PROGRAMS := grade mdriver vmsh tracegen mtrace mtrace-rep

.PHONY: install
ifeq ($(VARIANT)-$(IMPL_NAME),release-solution)
install: grader man $(addprefix $(BIN)/,$(INSTALL_PROGRAMS)) $(BIN)/libmtrace.so
	$(call say,INSTALL,$(DESTDIR)$(PREFIX))
	@install -d $(INSTALL_BIN) $(INSTALL_LIB) $(INSTALL_MAN) $(INSTALL_SHARE)/kit/bin
	@install -m 755 $(addprefix $(BIN)/,$(INSTALL_PROGRAMS)) $(INSTALL_BIN)/
	@install -m 644 $(MTRACE_LIB) $(INSTALL_LIB)/
	@install -m 644 $(patsubst %,$(MAN_DIR)/man1/%.1,$(filter $(MAN_PROGRAMS),$(INSTALL_PROGRAMS))) \
	    $(INSTALL_MAN)/
	@rm -rf $(INSTALL_SHARE)/traces $(INSTALL_SHARE)/handout $(INSTALL_SHARE)/kit/obj
	@cp -R traces handout $(INSTALL_SHARE)/
	@install -d $(INSTALL_SHARE)/grader
	@install -m 644 grader/policy.ini grader/forbidden-calls $(INSTALL_SHARE)/grader/
	@cd $(B) && find obj -name '*.o' -exec cp --parents -t $(abspath $(INSTALL_SHARE))/kit {} +
	@cp -R $(GRADEKIT) $(INSTALL_SHARE)/kit/
	@install -m 755 $(BIN)/test_malloc $(BIN)/test_vm $(BIN)/mdriver $(INSTALL_SHARE)/kit/bin/
	@sed -e 's|$(abspath $(B))|$(PREFIX)/share/memlabs/kit|g' -e 's|$(CURDIR)|$(PREFIX)/share/memlabs|g' \
	    $(GRADE_PLAN) > $(INSTALL_SHARE)/kit/gradekit/plan.ini
	@echo "install: $(INSTALL_PROGRAMS) in $(INSTALL_BIN); man pages in $(INSTALL_MAN)"
else
install:
	@$(MAKE) --no-print-directory VARIANT=release IMPL=solution install
endif

# The install as its users meet it (mk/check-install); CI runs it.
.PHONY: check-install
check-install:
	@mk/check-install
