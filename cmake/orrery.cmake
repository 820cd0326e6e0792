# Helpers shared by the host and the image configurations.

set(ORRERY_VERSION_STRING "${PROJECT_VERSION}")
set(ORRERY_CORE_INCLUDE ${CMAKE_SOURCE_DIR}/core/include ${CMAKE_SOURCE_DIR}/include)

# orrery_core_library(NAME SOURCES ... [HOST_EXCLUDE ...])
#
# A core subsystem: the same sources compiled for whichever platform this
# configuration builds (the image or sim). HOST_EXCLUDE lists sources that
# only the image takes, because on the host the C library already provides
# them (memcpy, snprintf, ...); tests build those under other names.
function(orrery_core_library name)
    cmake_parse_arguments(ARG "" "" "SOURCES;HOST_EXCLUDE" ${ARGN})
    set(srcs ${ARG_SOURCES})
    if(NOT ORRERY_IMAGE_ARCH AND ARG_HOST_EXCLUDE)
        list(REMOVE_ITEM srcs ${ARG_HOST_EXCLUDE})
    endif()
    add_library(${name} STATIC ${srcs})
    target_include_directories(${name} PUBLIC ${ORRERY_CORE_INCLUDE})
    set_property(GLOBAL APPEND PROPERTY ORRERY_CORE_LIBS ${name})
endfunction()

# orrery_unit_test(NAME SOURCES ... LIBS ...)
#
# A CUnit test program on the sim platform, registered with ctest as
# unit.NAME with the label "unit". Built with the host flags (ASan+UBSan).
function(orrery_unit_test name)
    cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
    set(exe test-${name})
    add_executable(${exe} ${ARG_SOURCES})
    set_target_properties(${exe} PROPERTIES
        RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
    target_include_directories(${exe} PRIVATE ${ORRERY_CORE_INCLUDE}
                               ${CMAKE_SOURCE_DIR}/tests/unit/include)
    # Core libraries and the sim platform call each other: link as a group.
    target_link_libraries(${exe} PRIVATE
        -Wl,--start-group ${ARG_LIBS} orrery_sim -Wl,--end-group
        ${CUNIT_LIBRARY})
    add_test(NAME unit.${name} COMMAND ${exe})
    set_tests_properties(unit.${name} PROPERTIES LABELS unit TIMEOUT 120)
endfunction()

# Add every immediate subdirectory of the calling folder that has a
# CMakeLists.txt (tests/unit, tools, bench: a new folder needs no edit).
function(orrery_add_subdirs)
    file(GLOB subdirs LIST_DIRECTORIES true ${CMAKE_CURRENT_SOURCE_DIR}/*)
    foreach(dir ${subdirs})
        if(IS_DIRECTORY ${dir} AND EXISTS ${dir}/CMakeLists.txt)
            add_subdirectory(${dir})
        endif()
    endforeach()
endfunction()
