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

add_subdirectory(core)
add_subdirectory(arch/${ORRERY_ARCH_DIR})
