# The x86-64 boot ISO: GRUB (BIOS and UEFI) plus the hypervisor image.
#
# Included from the host configuration after the image-x86_64
# ExternalProject. ${ORRERY_IMAGE_DIR}/orrery.iso is part of ALL; `make
# iso` (or the `iso` target) builds just it. The image is an output of the
# ExternalProject that this build does not know as a file, so the rule is a
# target that always runs tools/iso/mkiso.sh, which rebuilds the ISO only
# when the image, grub.cfg or the script are newer than it.
#
# tests/boot also asks for this file at the end of the top-level directory
# (the ISO boot tests need it); the guard makes a second include a no-op.
include_guard(GLOBAL)
if(NOT TARGET image-x86_64)
    message(STATUS "iso: no image-x86_64 target (ORRERY_IMAGES=OFF), no ISO")
    return()
endif()

if(NOT ORRERY_IMAGE_DIR)
    set(ORRERY_IMAGE_DIR ${CMAKE_BINARY_DIR}/images)
endif()
set(ORRERY_ISO ${ORRERY_IMAGE_DIR}/orrery.iso)

add_custom_target(iso ALL
    COMMAND bash ${CMAKE_SOURCE_DIR}/tools/iso/mkiso.sh
            ${ORRERY_IMAGE_DIR}/orrery-x86_64
            ${CMAKE_SOURCE_DIR}/tools/iso/grub.cfg
            ${ORRERY_ISO}
    BYPRODUCTS ${ORRERY_ISO}
    SOURCES ${CMAKE_SOURCE_DIR}/tools/iso/grub.cfg
            ${CMAKE_SOURCE_DIR}/tools/iso/mkiso.sh
    COMMENT "Checking the boot ISO ${ORRERY_ISO}"
    VERBATIM)
add_dependencies(iso image-x86_64)
