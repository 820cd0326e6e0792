#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Self-test of the boot-test runner (ctest: tools.boot-runner-selftest).

A runner that cannot fail proves nothing, so each failure path is driven
here: fake_qemu.py scripts a boot (good, panicking, wrong figures, silent,
exiting early...) and real QEMU with nothing to boot must time out. Every
case also checks that no process of the run is left behind.

Usage: selftest.py LOG_DIR [unittest options]
"""

import os
import shutil
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import qemu_boot as qb  # noqa: E402

LOG_DIR = None


def fake(scenario):
    return [sys.executable, os.path.join(HERE, 'fake_qemu.py'), scenario]


def alive(pid):
    """True if @pid runs (a zombie waiting for its reaper counts as dead)."""
    try:
        with open('/proc/%d/stat' % pid) as f:
            return f.read().rsplit(')', 1)[1].split()[0] != 'Z'
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False


class RunnerTest(unittest.TestCase):

    def boot(self, scenario, name, **kw):
        kw.setdefault('image', '/nonexistent/orrery-x86_64')
        kw.setdefault('timeout', 20)
        kw.setdefault('settle', 0.2)
        cfg = qb.BootConfig(qemu=fake(scenario), name='selftest.' + name,
                            log_dir=LOG_DIR, quiet=True, **kw)
        t = time.monotonic()
        result = qb.run_boot(cfg)
        self.elapsed = time.monotonic() - t
        self.assertTrue(os.path.getsize(result.log_path) > 0)
        return result

    def assertFails(self, result, *words):
        self.assertFalse(result.ok, 'the run should have failed')
        for w in words:
            self.assertIn(w, result.reason)

    def test_ok_with_keys_and_reset(self):
        r = self.boot('ok', 'ok', steps=[
            qb.Send('h'),
            qb.Expect([qb._compile("'R' reboot"), qb._compile("'h' ")]),
            qb.Send('R'), qb.ExpectExit(0)])
        self.assertTrue(r.ok, r.reason)
        self.assertEqual(r.banner['cpus'], '4/4')
        self.assertEqual(r.banner['via'], 'PVH')
        self.assertEqual(r.exit_status, 0)
        self.assertLess(r.marks['up'], r.marks['exit'])

    def test_send_after(self):
        args = qb.parse_args(['--image', 'x', '--send', 'h', '--after',
                              'Orrery is up', '--expect', "'R' reboot"])
        r = self.boot('ok', 'after', steps=args.steps)
        self.assertTrue(r.ok, r.reason)

    def test_cmdline_and_cpus(self):
        r = self.boot('ok', 'cmdline', append='console=com1 bogus=1 '
                      'maxcpus=2', expect_cpus='2/4',
                      seen=[qb._compile("unknown option 'bogus'")])
        self.assertTrue(r.ok, r.reason)
        r = self.boot('ok', 'cmdline-missing', append='console=com1',
                      seen=[qb._compile("unknown option 'bogus'")])
        self.assertFails(r, 'never saw', 'bogus')

    def test_iso_boot_method(self):
        r = self.boot('ok', 'iso', image=None, iso='/nonexistent/x.iso')
        self.assertTrue(r.ok, r.reason)
        self.assertEqual(r.banner['via'], 'multiboot2')

    def test_panic(self):
        r = self.boot('panic', 'panic', timeout=30)
        self.assertFails(r, 'panicked', 'PANIC on CPU 0')
        self.assertLess(self.elapsed, 10, 'a panic must fail at once')

    def test_expected_panic(self):
        """--expect-panic turns PANIC into something to match, not a
        failure; the run still fails if the panic says something else."""
        r = self.boot('panic', 'panic-expected', banner=False,
                      panic_ok=True, steps=[
                          qb.Expect([qb._compile('PANIC on CPU 0: BUG_ON')])])
        self.assertTrue(r.ok, r.reason)
        r = self.boot('panic', 'panic-other', banner=False, panic_ok=True,
                      timeout=3, steps=[
                          qb.Expect([qb._compile('PANIC on CPU 0: #PF')])])
        self.assertFails(r, 'timeout')

    def test_banner_figures(self):
        self.assertFails(self.boot('wrong-cpus', 'cpus'), 'CPUs 3/4')
        self.assertFails(self.boot('ok', 'cpus-smp', smp=2,
                                   expect_cpus='1/2'), 'expected 1/2')
        self.assertFails(self.boot('small-mem', 'mem'), '90-100%')
        self.assertFails(self.boot('slow-timer', 'timer'), '40 timer ticks')

    def test_reject(self):
        r = self.boot('ok', 'reject', rejects=[qb._compile('CPUs:')])
        self.assertFails(r, 'rejected line', 'CPUs:')

    def test_exit_early(self):
        r = self.boot('exit-early', 'exit-early')
        self.assertFails(r, 'QEMU exited (status 3)', 'banner')

    def test_triple_fault(self):
        # x86: QEMU's -d cpu_reset log (the -D file); other arches get no
        # -D, and the message on stderr counts too.
        self.assertFails(self.boot('triple-fault', 'triple'),
                         'triple-faulted', 'cpu_reset')
        self.assertFails(self.boot('triple-fault', 'triple-stderr',
                                   arch='arm64'), 'triple-faulted')

    def test_exit_after_last_step(self):
        # With -no-reboot a reset or triple fault ends QEMU with status 0:
        # an exit nobody asked for fails even after the banner.
        r = self.boot('exit-after-banner', 'late-exit', settle=5)
        self.assertFails(r, 'QEMU exited (status 0) after the last step')

    def test_grub_error(self):
        r = self.boot('grub-error', 'grub', image=None, iso='/x.iso')
        self.assertFails(r, 'GRUB failed', 'no multiboot header')

    def test_reset_ignored(self):
        r = self.boot('no-reset', 'no-reset', timeout=4,
                      steps=[qb.Send('R'), qb.ExpectExit(0)])
        self.assertFails(r, 'timeout', 'QEMU to exit')

    def test_silent_timeout_kills_group(self):
        pidfile = os.path.join(LOG_DIR, 'selftest.silent.pid')
        os.environ['FAKE_QEMU_PIDFILE'] = pidfile
        r = self.boot('silent', 'silent', timeout=3)
        self.assertFails(r, 'timeout after 3 s', 'booting via')
        with open(pidfile) as f:
            grandchild = int(f.read())
        time.sleep(0.2)
        self.assertFalse(alive(grandchild),
                         'a process QEMU started outlived the run')

    def test_usage_errors(self):
        with self.assertRaises(qb.UsageError):
            qb.qemu_cmd.qemu_command(image='a', iso='b', check_files=False)
        with self.assertRaises(qb.UsageError):
            qb.qemu_cmd.qemu_command(image='a', firmware='uefi',
                                     check_files=False)
        with self.assertRaises(qb.UsageError):
            qb.qemu_cmd.qemu_command(image='/nonexistent/orrery-x86_64')
        with self.assertRaises(qb.UsageError):
            qb.qemu_cmd.parse_mem_mib('lots')
        self.assertEqual(qb.qemu_cmd.parse_mem_mib('1G'), 1024)
        self.assertEqual(qb.qemu_cmd.parse_mem_mib('256M'), 256)
        self.assertEqual(qb.main(['--image', 'x', '--arch', 'sparc',
                                  '--print-command']), 2)

    @unittest.skipUnless(shutil.which('qemu-system-x86_64'), 'no QEMU')
    def test_real_qemu_nothing_to_boot(self):
        # Real QEMU, firmware only: no banner ever comes; the runner must
        # say so after its timeout and stop QEMU.
        cfg = qb.BootConfig(image=None, timeout=5, name='selftest.no-kernel',
                            log_dir=LOG_DIR, quiet=True)
        t = time.monotonic()
        r = qb.run_boot(cfg)
        self.assertFails(r, 'timeout after 5 s', 'booting via')
        self.assertLess(time.monotonic() - t, 12)


if __name__ == '__main__':
    if len(sys.argv) < 2:
        sys.exit('usage: selftest.py LOG_DIR [unittest options]')
    LOG_DIR = sys.argv.pop(1)
    os.makedirs(LOG_DIR, exist_ok=True)
    tempfile.tempdir = LOG_DIR
    unittest.main(verbosity=2)
