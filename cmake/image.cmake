# Image configuration: core/ and arch/<arch> compiled freestanding.
set(CMAKE_C_STANDARD 11)
set(CMAKE_C_EXTENSIONS ON)
if(NOT ORRERY_IMAGE_DIR)
    set(ORRERY_IMAGE_DIR ${CMAKE_BINARY_DIR}/images)
endif()

# Only the compiler's own freestanding headers (stdint.h, stddef.h,
# stdarg.h, stdbool.h) are reachable: no C library header can slip in.
execute_process(COMMAND ${CMAKE_C_COMPILER} -print-file-name=include
                OUTPUT_VARIABLE ORRERY_CC_INCLUDE OUTPUT_STRIP_TRAILING_WHITESPACE)

add_compile_options(
    -Wall -Wextra -Werror -g -O2
    -ffreestanding -fno-builtin -nostdinc -fno-stack-protector -fno-pic -fno-pie
    -fno-omit-frame-pointer -fno-strict-aliasing -fno-common
    -isystem ${ORRERY_CC_INCLUDE})

if(ORRERY_IMAGE_ARCH STREQUAL "x86_64")
    # No red zone: interrupts push onto the current stack. No SSE: the
    # hypervisor never saves its own FPU state. -mcmodel=kernel: linked in
    # the top 2 GiB of the address space.
    add_compile_options(-m64 -mno-red-zone -mno-mmx -mno-sse -mno-sse2
                        -mno-avx -mcmodel=kernel -mgeneral-regs-only)
elseif(ORRERY_IMAGE_ARCH STREQUAL "arm64")
    # No FP/SIMD: the hypervisor never saves its own FP state. No outline
    # atomics: GCC's default calls libgcc helpers that need the C
    # library's getauxval(); plain LL/SC (or LSE) instructions inline.
    # -mstrict-align is not needed: C runs only once the MMU is on and
    # RAM is Normal memory, where unaligned accesses are allowed with
    # SCTLR_EL2.A = 0; head.S, which runs before, makes aligned ones only.
    add_compile_options(-march=armv8-a -mgeneral-regs-only
                        -mno-outline-atomics -mcmodel=small)
endif()

# orrery_link_image(TARGET LINKER_SCRIPT)
#
# Link the arch's objects (the OBJECT library orrery_arch) with every core
# library into TARGET, twice: a first link with an empty symbol table, whose
# text symbols tools/build/gensyms.py turns into the table the second link
# carries (for symbolised backtraces). The table sits last in the image's
# read-only data, so adding it moves no code.
function(orrery_link_image target ld_script)
    get_property(core_libs GLOBAL PROPERTY ORRERY_CORE_LIBS)
    set(link_flags -nostdlib -static -no-pie -Wl,-T,${ld_script}
        -Wl,--build-id=none -Wl,-z,max-page-size=0x1000
        -Wl,--no-warn-rwx-segments -Wl,-z,noexecstack -Wl,--fatal-warnings)
    set(syms_s ${CMAKE_CURRENT_BINARY_DIR}/symbols.S)

    foreach(stage ${target}-stage1 ${target})
        if(stage STREQUAL target)
            set(table ${syms_s})
        else()
            set(table ${CMAKE_SOURCE_DIR}/tools/build/empty_symbols.S)
        endif()
        add_executable(${stage} $<TARGET_OBJECTS:orrery_arch> ${table})
        target_link_libraries(${stage} PRIVATE
            -Wl,--start-group ${core_libs} -Wl,--end-group -lgcc)
        target_link_options(${stage} PRIVATE ${link_flags})
        set_target_properties(${stage} PROPERTIES LINK_DEPENDS ${ld_script})
        if(NOT stage STREQUAL target)
            add_custom_command(OUTPUT ${syms_s}
                COMMAND python3 ${CMAKE_SOURCE_DIR}/tools/build/gensyms.py
                        ${CMAKE_NM} $<TARGET_FILE:${stage}> ${syms_s}
                DEPENDS ${stage} ${CMAKE_SOURCE_DIR}/tools/build/gensyms.py
                COMMENT "Generating the image symbol table")
        endif()
    endforeach()
endfunction()

add_subdirectory(core)
add_subdirectory(arch/${ORRERY_ARCH_DIR})
# The test guests are built with the x86 image's compiler and flags.
if(ORRERY_IMAGE_ARCH STREQUAL "x86_64")
    add_subdirectory(tests/guests)
endif()

