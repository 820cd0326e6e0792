# Orrery's front door: a thin layer over CMake and the scripts in tools/.
# Everything here can also be run by hand; CI runs `make check` (.ci/run).
#
#   make            configure build/ (once) and build everything, ISO too
#   make check      deps, build, then every ctest test (unit, sim, boot...)
#   make demo       boot the hypervisor under QEMU and press some debug keys
#   make run        boot it interactively (serial console on this terminal)
#   make qemu-gdb   boot it stopped, waiting for gdb -x build/.gdbinit
#   make iso        only build/images/orrery.iso (GRUB, BIOS and UEFI)
#   make bench      the benchmark programs in bench/ (their own build)
#   make bench-guests  time x86 test-guest boots under QEMU (median of 5)
#   make coverage, fuzz-smoke, format, lint, deps, clean
#
# Variables: ARCH (x86_64 or arm64), BUILD (build), JOBS (2),
# CMAKE_FLAGS (extra -D options for the first configure).

ARCH ?= x86_64
BUILD ?= build
JOBS ?= 2
CMAKE_FLAGS ?=
PYTHON ?= python3

# What `make format` and `make lint` cover.
FORMAT_DIRS := core arch sim tests tools bench
LINT_DIRS := core sim
LINT_INCLUDES := $(addprefix -I ,core/include include $(wildcard sim/include))

MAKEFLAGS += --no-print-directory

.PHONY: all deps demo run check bench bench-guests iso coverage qemu-gdb \
        fuzz-smoke format lint clean

all: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j$(JOBS)

# Configure only when there is no cache yet: afterwards the build itself
# re-runs cmake whenever a CMakeLists.txt changes.
$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Debug $(CMAKE_FLAGS)

deps:
	bash tools/deps/install-deps.sh

demo: deps all
	$(PYTHON) tools/qemu/demo.py --build $(BUILD) --arch $(ARCH)

run: all
	$(PYTHON) tools/qemu/run.py --build $(BUILD) --arch $(ARCH)

# ctest's summary is the last thing printed and its status is the
# recipe's; with -j2 the boot tests share the machine with the unit tests.
check: deps all
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

# Benchmarks want an optimised build without sanitizers: their own tree.
BENCH_BUILD ?= build-bench
bench: deps
	cmake -S . -B $(BENCH_BUILD) -DCMAKE_BUILD_TYPE=Release \
	      -DORRERY_SANITIZE=OFF -DORRERY_IMAGES=OFF
	cmake --build $(BENCH_BUILD) -j$(JOBS) --target benchmarks
	$(PYTHON) tools/bench/run_all.py $(BENCH_BUILD)/bench

# x86 guests under QEMU/TCG: boot-to-result seconds (median of 5) and the
# guests' own cycle counts; needs the images, so it uses $(BUILD).
bench-guests: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j$(JOBS) --target bench-guest-boot

iso: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) --target iso -j$(JOBS)

coverage: deps
	bash coverage/run.sh

qemu-gdb: all
	$(PYTHON) tools/qemu/qemu_gdb.py --build $(BUILD) --arch $(ARCH)

fuzz-smoke: all
	cd $(BUILD) && ctest -L fuzz-smoke --no-tests=error --output-on-failure -j$(JOBS)

# Tracked and new (not ignored) sources only, so build trees are left
# alone; outside a git checkout, every .c/.h under FORMAT_DIRS.
format:
	@files=$$(git ls-files --cached --others --exclude-standard -- \
	          $(addsuffix /*.c,$(FORMAT_DIRS)) \
	          $(addsuffix /*.h,$(FORMAT_DIRS)) 2>/dev/null || \
	          find $(wildcard $(FORMAT_DIRS)) -name '*.[ch]'); \
	if [ -z "$$files" ]; then echo "format: no sources"; exit 0; fi; \
	echo "format: clang-format -i on $$(echo $$files | wc -w) files"; \
	clang-format -i --style=file $$files

# cppcheck reports warnings and portability issues; only error-level
# findings fail the target.
lint:
	@out=$$(mktemp); \
	cppcheck --quiet --std=c11 --enable=warning,portability \
	    --inline-suppr --suppress=missingIncludeSystem \
	    --template='{file}:{line}: {severity}: {message} [{id}]' \
	    $(LINT_INCLUDES) $(LINT_DIRS) 2>$$out; \
	status=$$?; cat $$out; \
	errors=$$(grep -c ': error: ' $$out); rm -f $$out; \
	if [ $$status -ne 0 ]; then echo "lint: cppcheck failed"; exit 1; fi; \
	if [ $$errors -ne 0 ]; then echo "lint: $$errors errors"; exit 1; fi; \
	echo "lint: no errors"

clean:
	rm -rf $(BUILD)
	if [ -L .gdbinit ]; then rm -f .gdbinit; fi
