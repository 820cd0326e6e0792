# libFuzzer harnesses, built with clang beside the gcc host build.
#
# The host configuration compiles with gcc, but libFuzzer comes with clang
# (Debian: clang + libclang-rt-<ver>-dev). So a fuzzer is not a CMake
# target of the C toolchain: orrery_fuzzer() runs clang itself, one custom
# command per source (with a depfile, so header edits rebuild) and one to
# link. Every source is compiled here with the fuzzing and sanitizer
# flags; nothing links the gcc-built static libraries, whose code has no
# coverage instrumentation.
#
# orrery_fuzzer(NAME
#               SOURCES src...        harness + every source it needs
#               [INCLUDES dir...]     beyond core/include and include/
#               [DEFINES N[=V]...]    extra -D definitions
#               [CORPUS dir]          seed corpus (default: ./corpus)
#               [DICT file]           libFuzzer dictionary (-dict=)
#               [RUNS n]              smoke-run executions (default 50000)
#               [MAX_TIME s])         smoke-run time bound (default 30)
#
# Relative paths are taken from the calling CMakeLists.txt's folder. The
# result is ${CMAKE_BINARY_DIR}/fuzz/fuzz-NAME, built by `all`, plus the
# ctest test fuzz.NAME (label fuzz-smoke): fuzz/smoke.sh copies the corpus
# to ${CMAKE_BINARY_DIR}/fuzz/NAME/corpus (the committed seeds are never
# written) and runs the fuzzer with -seed=1 until RUNS executions or
# MAX_TIME seconds, whichever comes first. A crash, leak, sanitizer report
# or failed invariant (the harness calls abort()) fails the test and
# leaves the input in ${CMAKE_BINARY_DIR}/fuzz/NAME/.
#
# ORRERY_FUZZ_PRINTK_SOURCES lists what a harness links for printk and
# panic: core/console on the sim platform's CPU, time, console and halt
# files, and memory.c that sim_init() calls (no upcalls, so no timer or IPI
# code is needed). A harness calls
# sim_init(1, 0) per input to clear the console capture, and may use
# SIM_CATCH_HALT() to turn an expected panic into a return.
#
# Example (fuzz/emulate/CMakeLists.txt):
#     orrery_fuzzer(emulate
#         SOURCES emulate_fuzz.c
#                 ${CMAKE_SOURCE_DIR}/core/emulate/decode.c
#                 ${ORRERY_FUZZ_PRINTK_SOURCES}
#         INCLUDES ${CMAKE_SOURCE_DIR}/core/emulate
#         DICT x86.dict)

set(ORRERY_FUZZ_PRINTK_SOURCES
    ${CMAKE_SOURCE_DIR}/core/console/printk.c
    ${CMAKE_SOURCE_DIR}/core/console/loglvl.c
    ${CMAKE_SOURCE_DIR}/core/console/ring.c
    ${CMAKE_SOURCE_DIR}/core/console/panic.c
    ${CMAKE_SOURCE_DIR}/sim/platform/cpu.c
    ${CMAKE_SOURCE_DIR}/sim/platform/time.c
    ${CMAKE_SOURCE_DIR}/sim/platform/memory.c
    ${CMAKE_SOURCE_DIR}/sim/platform/console.c
    ${CMAKE_SOURCE_DIR}/sim/platform/halt.c)

set(ORRERY_FUZZ_CFLAGS
    -std=gnu11 -g -O1 -fno-omit-frame-pointer
    -Wall -Wextra -Werror
    -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all)
set(ORRERY_FUZZ_LDFLAGS -fsanitize=fuzzer,address,undefined)

# Find clang once and check that it links a libFuzzer program; without it
# the fuzzers are skipped with a message (make fuzz-smoke then fails with
# "no tests", which says what is missing).
if(NOT DEFINED ORRERY_FUZZ_OK)
    find_program(ORRERY_FUZZ_CC NAMES clang clang-16 clang-15 clang-14)
    set(ok FALSE)
    if(ORRERY_FUZZ_CC)
        set(probe ${CMAKE_BINARY_DIR}/CMakeFiles/fuzz-probe.c)
        file(WRITE ${probe}
            "#include <stddef.h>\n#include <stdint.h>\n"
            "int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)\n"
            "{ (void)d; (void)n; return 0; }\n")
        execute_process(
            COMMAND ${ORRERY_FUZZ_CC} ${ORRERY_FUZZ_CFLAGS}
                    ${ORRERY_FUZZ_LDFLAGS} ${probe} -o ${probe}.out
            RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
        if(rc EQUAL 0)
            set(ok TRUE)
        endif()
    endif()
    set(ORRERY_FUZZ_OK ${ok} CACHE INTERNAL "clang links libFuzzer")
    if(NOT ok)
        message(WARNING "fuzz: no clang that links -fsanitize=fuzzer "
                "(install clang and libclang-rt-dev: make deps); "
                "the fuzzers are not built")
    endif()
endif()

function(orrery_fuzzer name)
    cmake_parse_arguments(ARG "" "CORPUS;DICT;RUNS;MAX_TIME"
                          "SOURCES;INCLUDES;DEFINES" ${ARGN})
    if(NOT ORRERY_FUZZ_OK)
        return()
    endif()
    if(NOT ARG_SOURCES)
        message(FATAL_ERROR "orrery_fuzzer(${name}): no SOURCES")
    endif()
    if(NOT ARG_CORPUS)
        set(ARG_CORPUS corpus)
    endif()
    if(NOT ARG_RUNS)
        set(ARG_RUNS 50000)
    endif()
    if(NOT ARG_MAX_TIME)
        set(ARG_MAX_TIME 30)
    endif()
    get_filename_component(corpus ${ARG_CORPUS} ABSOLUTE
                           BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
    if(NOT IS_DIRECTORY ${corpus})
        message(FATAL_ERROR "orrery_fuzzer(${name}): no corpus at ${corpus}")
    endif()

    set(flags ${ORRERY_FUZZ_CFLAGS})
    foreach(dir ${ORRERY_CORE_INCLUDE} ${ARG_INCLUDES})
        get_filename_component(dir ${dir} ABSOLUTE
                               BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
        list(APPEND flags -I${dir})
    endforeach()
    foreach(def ${ARG_DEFINES})
        list(APPEND flags -D${def})
    endforeach()

    set(objdir ${CMAKE_BINARY_DIR}/fuzz/${name}/obj)
    file(MAKE_DIRECTORY ${objdir})
    set(objs "")
    foreach(src ${ARG_SOURCES})
        get_filename_component(src ${src} ABSOLUTE
                               BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
        file(RELATIVE_PATH rel ${CMAKE_SOURCE_DIR} ${src})
        string(MAKE_C_IDENTIFIER ${rel} id)
        set(obj ${objdir}/${id}.o)
        add_custom_command(OUTPUT ${obj}
            COMMAND ${ORRERY_FUZZ_CC} ${flags} -MD -MF ${obj}.d
                    -c ${src} -o ${obj}
            DEPENDS ${src}
            DEPFILE ${obj}.d
            COMMENT "fuzz-${name}: compiling ${rel} with clang"
            VERBATIM)
        list(APPEND objs ${obj})
    endforeach()

    set(exe ${CMAKE_BINARY_DIR}/fuzz/fuzz-${name})
    add_custom_command(OUTPUT ${exe}
        COMMAND ${ORRERY_FUZZ_CC} ${ORRERY_FUZZ_LDFLAGS} ${objs} -o ${exe}
        DEPENDS ${objs}
        COMMENT "fuzz-${name}: linking with libFuzzer"
        VERBATIM)
    add_custom_target(fuzz-${name} ALL DEPENDS ${exe})

    set(dict_arg "")
    if(ARG_DICT)
        get_filename_component(dict ${ARG_DICT} ABSOLUTE
                               BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
        set(dict_arg ${dict})
    endif()
    add_test(NAME fuzz.${name}
        COMMAND sh ${CMAKE_SOURCE_DIR}/fuzz/smoke.sh ${exe} ${corpus}
                ${CMAKE_BINARY_DIR}/fuzz/${name} ${ARG_RUNS} ${ARG_MAX_TIME}
                ${dict_arg})
    set_tests_properties(fuzz.${name} PROPERTIES
        LABELS fuzz-smoke TIMEOUT 120)
endfunction()

# orrery_hypercall_fuzzer(NAME SOURCES ... [INCLUDES ...] [RUNS n] [MAX_TIME s])
#
# A harness that drives hypercalls through the real dispatcher: it is
# compiled with the sources of every core library (as their targets list
# them, with their compile definitions) but core/emulate (no hypercall),
# plus the sim platform, so a hypercall family added later is fuzzed
# without an edit. Objects are linked whole, so what only the boot path
# or the image provides is left out: core/boot/start.c (start_orrery) and
# core/trace/symbols.c (the image's symbol table).
function(orrery_hypercall_fuzzer name)
    cmake_parse_arguments(ARG "" "RUNS;MAX_TIME" "SOURCES;INCLUDES" ${ARGN})
    get_property(core_libs GLOBAL PROPERTY ORRERY_CORE_LIBS)
    list(REMOVE_ITEM core_libs orrery_emulate)
    set(srcs "")
    set(defs "")
    foreach(lib ${core_libs} orrery_sim)
        get_target_property(lib_srcs ${lib} SOURCES)
        get_target_property(lib_dir ${lib} SOURCE_DIR)
        foreach(src ${lib_srcs})
            get_filename_component(src ${src} ABSOLUTE BASE_DIR ${lib_dir})
            if(src MATCHES "\\.c$" AND
               NOT src MATCHES "/core/(boot/start|trace/symbols)\\.c$")
                list(APPEND srcs ${src})
            endif()
        endforeach()
        get_target_property(lib_defs ${lib} COMPILE_DEFINITIONS)
        if(lib_defs)
            list(APPEND defs ${lib_defs})
        endif()
    endforeach()
    list(REMOVE_DUPLICATES defs)
    # fuzz/common: the input reader and the booted machine they share.
    file(GLOB common ${CMAKE_SOURCE_DIR}/fuzz/common/*.c)
    orrery_fuzzer(${name}
        SOURCES ${ARG_SOURCES} ${common} ${srcs}
        INCLUDES ${CMAKE_SOURCE_DIR}/sim/include
                 ${CMAKE_SOURCE_DIR}/tests/unit/include
                 ${CMAKE_SOURCE_DIR}/fuzz/common ${ARG_INCLUDES}
        DEFINES ${defs}
        RUNS ${ARG_RUNS}
        MAX_TIME ${ARG_MAX_TIME})
endfunction()
