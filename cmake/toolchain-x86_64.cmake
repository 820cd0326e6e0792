# Freestanding x86-64 hypervisor image, built with the host's gcc.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(CMAKE_C_COMPILER gcc)
set(CMAKE_ASM_COMPILER gcc)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(ORRERY_IMAGE_ARCH x86_64 CACHE STRING "image architecture")
set(ORRERY_ARCH_DIR x86 CACHE STRING "folder under arch/")
