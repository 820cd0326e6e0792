# SPDX-License-Identifier: MIT
"""How Orrery is started under QEMU, per architecture and boot medium.

One place that knows the QEMU command lines, shared by the boot-test runner
(qemu_boot.py), the demo, `make qemu-gdb` and the boot-time benchmark, so
that what a developer runs by hand is exactly what the tests run.
"""

import os
import re
import shutil

# Per architecture: the QEMU binary, the machine/CPU model, the image's file
# name in build/images/, what the hypervisor's banner says for each boot
# medium, the firmware images for UEFI boots and the gdb that debugs it.
ARCHES = {
    'x86_64': {
        'qemu': 'qemu-system-x86_64',
        # TCG does not emulate VMX, so SVM with nested paging is the
        # virtualisation extension the image can use under QEMU.
        'machine': ['-accel', 'tcg', '-cpu', 'qemu64,+svm,+npt'],
        'image': 'orrery-x86_64',
        'boot_kernel': 'PVH',         # -kernel follows the Xen PVH ELF note
        'boot_iso': 'multiboot2',     # GRUB's multiboot2 command
        # Debian 12 ovmf: OVMF.fd is the combined code+vars image that
        # -bios accepts; the split CODE/VARS files need two pflash drives.
        'uefi': ['/usr/share/ovmf/OVMF.fd', '/usr/share/qemu/OVMF.fd'],
        'gdb': 'gdb',
        'gdb_arch': 'i386:x86-64',
        # -d cpu_reset logs "Triple fault" (target/i386 TCG).
        'reset_log': True,
    },
    'arm64': {
        'qemu': 'qemu-system-aarch64',
        # virtualization=on: QEMU enters the Image at EL2 (and implements
        # PSCI over SMC itself); gic-version=3: Orrery drives a GICv3.
        'machine': ['-accel', 'tcg', '-M',
                    'virt,virtualization=on,gic-version=3',
                    '-cpu', 'cortex-a57'],
        'image': 'orrery-arm64',      # a Linux arm64 Image
        'symbols': 'orrery-arm64.elf',
        'boot_kernel': 'device tree', # x0 = the DTB QEMU generates
        'boot_iso': None,
        'append': 'console=dtuart loglvl=info',
        'uefi': ['/usr/share/AAVMF/AAVMF_CODE.fd'],
        'gdb': 'gdb-multiarch',
        'gdb_arch': 'aarch64',
    },
}

DEFAULT_APPEND = 'console=com1 loglvl=info'


def default_append(arch):
    """The command line the tests and tools use unless told otherwise."""
    return arch_info(arch).get('append', DEFAULT_APPEND)


class UsageError(Exception):
    """A bad option or a missing file: reported without a traceback."""


def arch_info(arch):
    try:
        return ARCHES[arch]
    except KeyError:
        raise UsageError('unknown arch %r (known: %s)'
                         % (arch, ', '.join(sorted(ARCHES))))


def parse_mem_mib(text):
    """QEMU's -m syntax ('1G', '256M', '512') to MiB."""
    m = re.fullmatch(r'\s*(\d+)\s*([kKmMgGtT]?)(?:i?[bB])?\s*', str(text))
    if not m:
        raise UsageError('bad memory size %r (use e.g. 256M or 1G)' % text)
    n, unit = int(m.group(1)), m.group(2).upper()
    scale = {'K': 1.0 / 1024, '': 1, 'M': 1, 'G': 1024, 'T': 1024 * 1024}
    mib = n * scale[unit]
    if mib < 1:
        raise UsageError('memory size %r is below 1 MiB' % text)
    return int(mib)


def find_firmware(arch):
    for path in arch_info(arch)['uefi']:
        if os.path.exists(path):
            return path
    raise UsageError('no UEFI firmware for %s (looked for %s; install the '
                     'ovmf package)'
                     % (arch, ', '.join(arch_info(arch)['uefi'])))


def image_path(build_dir, arch):
    return os.path.join(build_dir, 'images', arch_info(arch)['image'])


def symbols_path(build_dir, arch):
    """The ELF with symbols for GDB (the image itself on x86_64)."""
    info = arch_info(arch)
    return os.path.join(build_dir, 'images',
                        info.get('symbols', info['image']))


def iso_path(build_dir):
    return os.path.join(build_dir, 'images', 'orrery.iso')


def expected_boot_method(arch, image=None, iso=None):
    info = arch_info(arch)
    if image:
        return info['boot_kernel']
    if iso:
        return info['boot_iso']
    return None


def qemu_command(arch='x86_64', image=None, iso=None, firmware='bios',
                 smp=4, mem='1G', append=None, qemu=None,
                 extra=(), check_files=True):
    """The argument vector that boots Orrery; raises UsageError.

    @append None means the arch's default command line.

    @qemu replaces the QEMU binary (a list, e.g. a fake for self-tests);
    with neither @image nor @iso QEMU runs its firmware alone.
    """
    info = arch_info(arch)
    if image and iso:
        raise UsageError('give either an image or an ISO, not both')
    if firmware not in ('bios', 'uefi'):
        raise UsageError('firmware must be bios or uefi, not %r' % firmware)
    if firmware == 'uefi' and image:
        raise UsageError('UEFI boots use the ISO: -kernel takes the PVH '
                         'entry, which only QEMU\'s own loader offers')
    if int(smp) < 1:
        raise UsageError('smp must be at least 1')
    parse_mem_mib(mem)
    for path in (image, iso):
        if path and check_files and not os.path.isfile(path):
            raise UsageError('%s does not exist (build it first: make%s)'
                             % (path, ' iso' if path == iso else ''))

    if qemu:
        cmd = list(qemu)
    else:
        binary = shutil.which(info['qemu'])
        if not binary and check_files:
            raise UsageError('%s not found (make deps)' % info['qemu'])
        cmd = [binary or info['qemu']]
    cmd += info['machine']
    cmd += ['-smp', str(smp), '-m', str(mem),
            '-display', 'none', '-serial', 'stdio', '-monitor', 'none',
            # A reset (debug key 'R', a triple fault) ends QEMU instead of
            # rebooting, so a test sees it as an exit.
            '-no-reboot',
            # No NIC: the firmware would otherwise try a network boot.
            '-nic', 'none']
    if firmware == 'uefi':
        cmd += ['-bios', find_firmware(arch)]
    if image:
        if append is None:
            append = default_append(arch)
        cmd += ['-kernel', image, '-append', append]
    elif iso:
        cmd += ['-cdrom', iso, '-boot', 'd']
    cmd += list(extra)
    return cmd
