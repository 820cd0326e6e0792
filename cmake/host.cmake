# Host configuration: sim platform, core on sim, tests, tools, benchmarks.
include(CTest)
include(ExternalProject)

set(CMAKE_C_STANDARD 11)
set(CMAKE_C_STANDARD_REQUIRED ON)
set(CMAKE_C_EXTENSIONS ON)
set(CMAKE_RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bin)

option(ORRERY_SANITIZE "Build sim, core-on-sim and tests with ASan+UBSan" ON)
option(ORRERY_COVERAGE "Instrument core-on-sim for gcov/lcov" OFF)
option(ORRERY_IMAGES "Build the hypervisor images" ON)

# Sanitized builds (tests) use -O1 for readable reports; an unsanitized
# build (make bench) is optimised like the image, so its figures are fair.
if(ORRERY_SANITIZE)
    set(ORRERY_HOST_OPT -O1)
else()
    set(ORRERY_HOST_OPT -O2)
endif()
add_compile_options(-Wall -Wextra -Werror -g ${ORRERY_HOST_OPT} -fno-omit-frame-pointer)
if(ORRERY_SANITIZE)
    add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all)
    add_link_options(-fsanitize=address,undefined)
endif()
if(ORRERY_COVERAGE)
    add_compile_options(--coverage)
    add_link_options(--coverage)
endif()

find_package(Python3 REQUIRED COMPONENTS Interpreter)
find_library(CUNIT_LIBRARY cunit REQUIRED)

add_subdirectory(core)
add_subdirectory(sim)
add_subdirectory(tests)
add_subdirectory(tools)
add_subdirectory(bench)
if(EXISTS ${CMAKE_SOURCE_DIR}/fuzz/CMakeLists.txt)
    add_subdirectory(fuzz)
endif()

# The hypervisor images: the same tree configured again, freestanding.
set(ORRERY_IMAGE_DIR ${CMAKE_BINARY_DIR}/images)
if(ORRERY_IMAGES)
    foreach(arch x86_64 arm64)
        ExternalProject_Add(image-${arch}
            SOURCE_DIR ${CMAKE_SOURCE_DIR}
            BINARY_DIR ${CMAKE_BINARY_DIR}/image-${arch}
            CMAKE_ARGS
                -DCMAKE_TOOLCHAIN_FILE=${CMAKE_SOURCE_DIR}/cmake/toolchain-${arch}.cmake
                -DORRERY_IMAGE_DIR=${ORRERY_IMAGE_DIR}
                -DCMAKE_BUILD_TYPE=Debug
            INSTALL_COMMAND ""
            BUILD_ALWAYS ON
            USES_TERMINAL_BUILD ON)
    endforeach()
endif()
