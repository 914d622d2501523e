# Tegami build. Sources are found by folder (see docs/STYLE in ../shared);
# adding a .c file needs no edit here. BUILD may point elsewhere so that
# several builds (normal, sanitizers) live side by side.

BUILD	?= build
SAN	?=
CC	?= cc
CXX	?= c++

PKGS	 = libsodium openssl libcares libmariadb
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN	 = -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wno-unused-parameter
CFLAGS	?= -O2 -g
CXXFLAGS ?= -O2 -g
ifneq ($(SAN),)
CFLAGS	 = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	   -fno-sanitize-recover=undefined
CXXFLAGS = $(CFLAGS)
LDSAN	 = -fsanitize=address,undefined
endif
ALL_CFLAGS   = -std=c17 -D_GNU_SOURCE $(WARN) $(PKG_CFLAGS) -MMD -MP $(CFLAGS)
ALL_CXXFLAGS = -std=c++17 -Wall -Wextra -Werror -MMD -MP $(CXXFLAGS)
LDLIBS	 = $(PKG_LIBS) -lfcgi -lctemplate -lpthread -lm

LAYERS	 = core conf db mail view web sender cli
MAINS	 = app/web/main.c app/sender/main.c app/cli/tegami.c

define layer_objs
$(patsubst app/%.c,$(BUILD)/obj/%.o,$(filter-out $(MAINS),$(wildcard app/$(1)/*.c))) \
$(patsubst app/%.cc,$(BUILD)/obj/%.o,$(wildcard app/$(1)/*.cc))
endef

$(foreach l,$(LAYERS),$(eval OBJS_$(l) := $(call layer_objs,$(l))))
LIBS	 = $(foreach l,web sender cli view mail db conf core,$(BUILD)/lib$(l).a)

UNIT_SRCS = $(wildcard tests/unit/*_test.c)
UNIT_BINS = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))
BINS	 = $(BUILD)/tegami-web $(BUILD)/tegami-sender $(BUILD)/tegami

.PHONY: all deps run test test-only bench unit fuzz check-layering cppcheck \
	clean format
all: $(BINS) $(UNIT_BINS)

$(BUILD)/obj/%.o: app/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/obj/%.o: app/%.cc
	@mkdir -p $(dir $@)
	$(CXX) $(ALL_CXXFLAGS) -c -o $@ $<

$(BUILD)/obj/tests/%.o: tests/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Iapp -c -o $@ $<

define lib_rule
$(BUILD)/lib$(1).a: $(OBJS_$(1))
	@mkdir -p $(BUILD)
	rm -f $$@
	ar rcs $$@ $$^ $(if $(OBJS_$(1)),,$(BUILD)/obj/empty.o)
endef
$(foreach l,$(LAYERS),$(eval $(call lib_rule,$(l))))

$(BUILD)/obj/empty.o:
	@mkdir -p $(dir $@)
	echo 'typedef int tegami_empty_unit;' | $(CC) -x c -c -o $@ -

LINK = $(CXX) $(LDSAN) -o $@ $(1) -Wl,--start-group $(LIBS) -Wl,--end-group $(LDLIBS)

$(LIBS): | $(BUILD)/obj/empty.o

$(BUILD)/tegami-web: $(BUILD)/obj/web/main.o $(LIBS)
	$(call LINK,$<)
$(BUILD)/tegami-sender: $(BUILD)/obj/sender/main.o $(LIBS)
	$(call LINK,$<)
$(BUILD)/tegami: $(BUILD)/obj/cli/tegami.o $(LIBS)
	$(call LINK,$<)

$(BUILD)/tests/%_test: $(BUILD)/obj/tests/unit/%_test.o $(LIBS)
	@mkdir -p $(dir $@)
	$(call LINK,$<)

unit: $(UNIT_BINS)
	@fail=0; for t in $(UNIT_BINS); do $$t || fail=1; done; exit $$fail

deps:
	@bash tools/deps.sh

run: deps
	@$(MAKE) --no-print-directory all
	@bash tools/run.sh

test: deps
	@bash tests/run.sh

test-only:
	@bash tests/run.sh

bench: deps
	@$(MAKE) --no-print-directory all
	@bash bench/run.sh

fuzz:
	@bash tests/fuzz/build.sh

check-layering:
	@bash tools/check-layering.sh

cppcheck:
	@cppcheck --quiet --error-exitcode=1 --std=c11 --inline-suppr \
	  --enable=warning,portability,performance \
	  --suppress=missingIncludeSystem -D__GNUC__ -D_GNU_SOURCE \
	  app/ tests/unit/ tests/fuzz/

format:
	@clang-format -i $$(git ls-files 'app/*.c' 'app/*.h')

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
