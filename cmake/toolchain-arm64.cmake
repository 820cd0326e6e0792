# Freestanding Arm64 hypervisor image, cross-compiled with Debian's
# gcc-aarch64-linux-gnu (tools/deps/install-deps.sh installs it).
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_ASM_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_NM aarch64-linux-gnu-nm)
set(CMAKE_OBJCOPY aarch64-linux-gnu-objcopy)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(ORRERY_IMAGE_ARCH arm64 CACHE STRING "image architecture")
set(ORRERY_ARCH_DIR arm64 CACHE STRING "folder under arch/")
