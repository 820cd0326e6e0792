#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Boot Orrery under QEMU and check what its serial console says.

QEMU runs in its own process group with the serial port on a pipe. The
transcript is matched line by line against an ordered list of steps: the
boot line, the banner (whose numbers are checked against the QEMU options),
then the caller's expectations and keys to type. The run fails at once on a
hypervisor panic, a triple fault, a rejected line, an unexpected QEMU exit
or the timeout. Whatever happens, QEMU's process group is killed before
run_boot() returns, and the transcript is kept in <log-dir>/<name>.log.

Usable as a module (run_boot(BootConfig(...))) and from the command line:
    qemu_boot.py --image build/images/orrery-x86_64 --send h \\
        --expect-all "'h' " --expect-all "'R' " --send R --expect-exit
Only the Python standard library is used.
"""

import argparse
import ctypes
import os
import re
import selectors
import shlex
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu_cmd  # noqa: E402
from qemu_cmd import UsageError  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))

# Every hypervisor log line starts "(ORR) [   s.micros] "; the patterns
# below use re.search, so they match after that prefix.
BOOT_LINE = r'Orrery \S+ \((?P<arch>\S+)\) booting via (?P<via>\S+)'
BANNER_TOP = r'=+ Orrery \S+ =+'
BANNER_UP = r'Orrery is up'

# Terminal control sequences (GRUB draws on the serial line as a VT100).
ANSI = re.compile(r'\x1b(\[[0-9;?]*[ -/]*[@-~]|[()][0-9A-Za-z]|[=>78cM])')


@dataclass
class Expect:
    """Lines matching every pattern, in any order (one pattern: in order)."""
    patterns: list
    label: str = ''
    # May the line that completed the previous step match too? (--after)
    reuse_last: bool = False


@dataclass
class Send:
    keys: str
    note: str = None          # shown on stdout with --echo (the demo)


@dataclass
class Pause:
    seconds: float


@dataclass
class ExpectExit:
    status: int = 0


@dataclass
class BootConfig:
    arch: str = 'x86_64'
    image: str = None
    iso: str = None
    firmware: str = 'bios'
    smp: int = 4
    mem: str = '1G'
    append: str = None         # None: the arch's default (qemu_cmd)
    timeout: float = 120.0
    steps: list = field(default_factory=list)   # after the banner
    seen: list = field(default_factory=list)    # anywhere, by the end
    rejects: list = field(default_factory=list)
    expect_cpus: str = None                     # "online/present"
    banner: bool = True
    panic_ok: bool = False    # a test of the fatal path: PANIC is a step
    settle: float = 1.0       # keep watching for a panic after the last step
    name: str = None
    log_dir: str = None
    qemu: list = None         # replaces the QEMU binary (self-tests)
    extra: list = field(default_factory=list)
    echo: bool = False        # copy the serial output to stdout as it comes
    quiet: bool = False


@dataclass
class BootResult:
    ok: bool
    reason: str
    log_path: str
    marks: dict               # step label -> seconds since QEMU started
    banner: dict
    exit_status: int = None


class Failure(Exception):
    pass


def _compile(pattern):
    try:
        return re.compile(pattern)
    except re.error as e:
        raise UsageError('bad regular expression %r: %s' % (pattern, e))


def banner_steps():
    return [Expect([_compile(BOOT_LINE)], 'boot line'),
            Expect([_compile(BANNER_TOP)], 'banner'),
            Expect([_compile(BANNER_UP)], 'up')]


def check_banner(lines, cfg):
    """Check the banner's figures against how QEMU was started.

    @lines: the transcript from the banner's top rule to "Orrery is up".
    Returns a dict of the figures; raises Failure on a wrong one.
    """
    text = '\n'.join(lines)
    fields = {
        # The loader's name may have words ("device tree") and a
        # parenthesised detail ("multiboot2 (GRUB 2.06)"): drop the detail.
        'arch': r'Arch:\s+(\S+), booted via ([^(\n]*[^(\s])',
        'cpus': r'CPUs:\s+(\d+)/(\d+) online',
        'mem': r'Memory:\s+(\d+) MiB total, (\d+) MiB free',
        'timer': r'Timer:\s+(\d+) ticks in (\d+) ms',
    }
    got = {}
    for key, pattern in fields.items():
        m = re.search(pattern, text)
        if not m:
            raise Failure('banner has no line matching %r' % pattern)
        got[key] = m.groups()

    arch, via = got['arch']
    if arch != cfg.arch:
        raise Failure('banner says arch %s, expected %s' % (arch, cfg.arch))
    want_via = qemu_cmd.expected_boot_method(cfg.arch, cfg.image, cfg.iso)
    if want_via and via != want_via:
        raise Failure('banner says booted via %s, expected %s'
                      % (via, want_via))

    cpus = '%s/%s' % got['cpus']
    want_cpus = cfg.expect_cpus or '%d/%d' % (cfg.smp, cfg.smp)
    if cpus != want_cpus:
        raise Failure('banner says CPUs %s online, expected %s'
                      % (cpus, want_cpus))

    total, free = int(got['mem'][0]), int(got['mem'][1])
    mem = qemu_cmd.parse_mem_mib(cfg.mem)
    # Firmware, ACPI tables and the legacy hole take a little of -m, never
    # more than a tenth, and the total can never exceed it.
    if not 0.9 * mem <= total <= mem:
        raise Failure('banner says %d MiB total, expected 90-100%% of '
                      '%d MiB' % (total, mem))
    if free > total:
        raise Failure('banner says %d MiB free of %d MiB total'
                      % (free, total))

    ticks, ms = int(got['timer'][0]), int(got['timer'][1])
    if ms <= 0 or not 5 <= ticks * 100.0 / ms <= 20:
        raise Failure('banner says %d timer ticks in %d ms, expected 5-20 '
                      'per 100 ms' % (ticks, ms))
    return {'arch': arch, 'via': via, 'cpus': cpus, 'mem_total': total,
            'mem_free': free, 'ticks': ticks, 'tick_ms': ms}


def _die_with_parent():
    """In the child: get SIGKILL if the runner dies (even by SIGKILL)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)     # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def kill_group(proc):
    """Stop QEMU and everything it started; never leave it running."""
    if proc is None:
        return
    _kill_group(proc)
    for pipe in (proc.stdin, proc.stdout, proc.stderr):
        try:
            pipe.close()
        except OSError:
            pass


def _kill_group(proc):
    for sig, grace in ((signal.SIGTERM, 3.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=grace)
            # The leader is gone; make sure no member of its group stayed.
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            return
        except subprocess.TimeoutExpired:
            continue


def _on_signal(signum, frame):
    raise Failure('runner interrupted by signal %d' % signum)


class Watcher:
    """Feeds serial output through the steps; raises Failure."""

    def __init__(self, cfg, log, t0):
        self.cfg = cfg
        self.log = log
        self.t0 = t0
        self.steps = (banner_steps() if cfg.banner else []) + list(cfg.steps)
        self.idx = 0
        self.pending = None           # patterns of the current Expect left
        self.partial = ''
        self.lines = []
        self.last_match = None        # the line that completed a step
        self.banner_from = None
        self.marks = {}
        self.banner = {}
        self.seen = {p.pattern: False for p in cfg.seen}
        self.rejects = [] if cfg.panic_ok else \
            [(_compile(r'PANIC'), 'the hypervisor panicked')]
        if cfg.iso:
            # GRUB reports a failed command (no multiboot2 header, missing
            # file) as "error: ..." and then sits at its prompt.
            self.rejects.append((_compile(r'^error: '), 'GRUB failed'))
        self.rejects += [(p, 'rejected line /%s/' % p.pattern)
                         for p in cfg.rejects]

    def now(self):
        return time.monotonic() - self.t0

    def current(self):
        return self.steps[self.idx] if self.idx < len(self.steps) else None

    def describe(self):
        step = self.current()
        if isinstance(step, Expect):
            left = self.pending if self.pending is not None else \
                step.patterns
            what = 'a line matching %s' % ' and '.join(
                '/%s/' % p.pattern for p in left)
            if step.label in ('boot line', 'banner', 'up'):
                what = 'the %s (%s)' % (step.label, what)
            return what
        if isinstance(step, ExpectExit):
            return 'QEMU to exit'
        return 'the end of the run'

    def feed(self, data):
        text = data.decode('utf-8', 'replace')
        if self.cfg.echo:
            sys.stdout.write(text)
            sys.stdout.flush()
        self.log.write(text)
        self.log.flush()
        self.partial += text
        while '\n' in self.partial:
            line, self.partial = self.partial.split('\n', 1)
            self.line(line)

    def flush(self):
        if self.partial:
            line, self.partial = self.partial, ''
            self.line(line)

    def line(self, raw):
        line = ANSI.sub('', raw).replace('\r', '')
        self.lines.append(line)
        for pattern, why in self.rejects:
            if pattern.search(line):
                raise Failure('%s: %s' % (why, line.strip()))
        for pattern in self.cfg.seen:
            if pattern.search(line):
                self.seen[pattern.pattern] = True
        self.match(line, len(self.lines) - 1)

    def match(self, line, index):
        step = self.current()
        if not isinstance(step, Expect):
            return
        if self.pending is None:
            self.pending = list(step.patterns)
        for p in self.pending:
            if p.search(line):
                self.pending.remove(p)
                break
        if self.pending:
            return
        self.pending = None
        self.last_match = index
        self.marks[step.label or step.patterns[0].pattern] = self.now()
        self.idx += 1
        if step.label == 'banner':
            self.banner_from = index
        elif step.label == 'up':
            self.banner = check_banner(self.lines[self.banner_from:],
                                       self.cfg)
        self.enter_step()

    def enter_step(self):
        step = self.current()
        if isinstance(step, Expect) and step.reuse_last and \
                self.last_match is not None:
            self.match(self.lines[self.last_match], self.last_match)


def _tail(path, n):
    try:
        with open(path, errors='replace') as f:
            return ''.join(f.readlines()[-n:])
    except OSError:
        return ''


def _safe_name(cfg):
    if cfg.name:
        return re.sub(r'[^A-Za-z0-9_.+-]', '_', cfg.name)
    media = 'iso-' + cfg.firmware if cfg.iso else \
        'pvh' if cfg.image else 'nomedia'
    return '%s.%s' % (cfg.arch, media)


def run_boot(cfg):
    """Boot once as @cfg says; returns a BootResult (never raises Failure)."""
    log_dir = cfg.log_dir or os.path.join(REPO, 'build', 'tests', 'boot')
    os.makedirs(log_dir, exist_ok=True)
    name = _safe_name(cfg)
    log_path = os.path.join(log_dir, name + '.log')
    err_path = os.path.join(log_dir, name + '.qemu-stderr.log')
    resets = ResetLog(os.path.join(log_dir, name + '.qemu-resets.log'))
    extra = list(cfg.extra)
    if qemu_cmd.arch_info(cfg.arch).get('reset_log'):
        extra = ['-d', 'cpu_reset', '-D', resets.path] + extra
    cmd = qemu_cmd.qemu_command(cfg.arch, cfg.image, cfg.iso, cfg.firmware,
                                cfg.smp, cfg.mem, cfg.append, cfg.qemu,
                                extra, check_files=cfg.qemu is None)
    proc = None
    status = None
    watcher = None
    old = {s: signal.signal(s, _on_signal)
           for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
    with open(log_path, 'w') as log, open(err_path, 'wb') as err:
        log.write('# %s\n' % shlex.join(cmd))
        log.flush()
        t0 = time.monotonic()
        try:
            watcher = Watcher(cfg, log, t0)
            try:
                proc = subprocess.Popen(cmd, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE,
                                        start_new_session=True,
                                        preexec_fn=_die_with_parent)
            except OSError as e:
                raise Failure('cannot start %s: %s' % (cmd[0], e))
            status = _watch(cfg, proc, watcher, err, resets, t0)
            ok, reason = True, 'passed'
        except Failure as e:
            ok, reason = False, str(e)
        finally:
            kill_group(proc)
            for s, h in old.items():
                signal.signal(s, h)
        log.write('\n# %s after %.2f s: %s\n'
                  % ('PASS' if ok else 'FAIL', time.monotonic() - t0, reason))
    if os.path.getsize(err_path) == 0:
        os.unlink(err_path)
    result = BootResult(ok, reason, log_path, watcher.marks if watcher else
                        {}, watcher.banner if watcher else {}, status)
    if not cfg.quiet:
        _report(name, result, err_path)
    return result


class ResetLog:
    """QEMU's -d cpu_reset log, where x86 TCG reports a triple fault.

    With -no-reboot a triple fault just ends QEMU with status 0, like a
    requested reset, and prints nothing; the log tells the two apart. It
    also holds a register dump per CPU reset, so it is kept out of the
    stderr shown on failure.
    """

    def __init__(self, path):
        self.path = path
        self.pos = 0
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass

    def check(self):
        # Read what is new, with an overlap for a line split across reads.
        start = max(0, self.pos - 16)
        try:
            with open(self.path, 'rb') as f:
                f.seek(start)
                data = f.read()
        except FileNotFoundError:
            return
        self.pos = start + len(data)
        if b'Triple fault' in data:
            raise Failure('the guest triple-faulted (QEMU -d cpu_reset: '
                          '"Triple fault", see %s)' % self.path)


def _watch(cfg, proc, w, err, resets, t0):
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ, 'out')
    sel.register(proc.stderr, selectors.EVENT_READ, 'err')
    stderr_text = ''
    open_fds = 2
    pause_until = settle_until = None
    deadline = t0 + cfg.timeout
    w.enter_step()
    while True:
        # Steps that do not wait for output happen now.
        while True:
            step = w.current()
            if isinstance(step, Send):
                if cfg.echo and step.note:
                    sys.stdout.write('\n%s\n' % step.note)
                    sys.stdout.flush()
                try:
                    proc.stdin.write(step.keys.encode())
                    proc.stdin.flush()
                except (BrokenPipeError, ValueError):
                    raise Failure('QEMU exited before keys %r could be sent'
                                  % step.keys)
                w.idx += 1
                w.enter_step()
            elif isinstance(step, Pause):
                if pause_until is None:
                    pause_until = time.monotonic() + step.seconds
                if time.monotonic() < pause_until:
                    break
                pause_until = None
                w.idx += 1
                w.enter_step()
            else:
                break
        if w.current() is None:
            if settle_until is None:
                settle_until = min(time.monotonic() + cfg.settle, deadline)
            if time.monotonic() >= settle_until or \
                    (open_fds == 0 and 'exit' in w.marks):
                resets.check()
                missing = [p for p, hit in w.seen.items() if not hit]
                if missing:
                    raise Failure('never saw a line matching /%s/'
                                  % missing[0])
                return proc.poll()

        now = time.monotonic()
        if now >= deadline:
            raise Failure('timeout after %.0f s waiting for %s'
                          % (cfg.timeout, w.describe()))
        # Wake at least 4 times a second to look at the reset log.
        wake = min(t for t in (deadline, pause_until, settle_until,
                               now + 0.25) if t)
        if open_fds == 0:
            events = []
            time.sleep(min(0.05, max(0, wake - now)))
        else:
            events = sel.select(max(0.0, wake - now))
        for key, _ in events:
            data = os.read(key.fileobj.fileno(), 65536)
            if not data:
                sel.unregister(key.fileobj)
                open_fds -= 1
            elif key.data == 'out':
                w.feed(data)
            else:
                err.write(data)
                err.flush()
                stderr_text = (stderr_text + data.decode('utf-8', 'replace')
                               )[-65536:]
                if 'Triple fault' in stderr_text:
                    raise Failure('the guest triple-faulted (QEMU: '
                                  '"Triple fault")')
        resets.check()

        if open_fds == 0 and proc.poll() is not None:
            w.flush()
            resets.check()
            status = proc.returncode
            step = w.current()
            if isinstance(step, ExpectExit):
                if status != step.status:
                    raise Failure('QEMU exited with status %d, expected %d: '
                                  '%s' % (status, step.status,
                                          stderr_text.strip()[-300:]))
                w.marks['exit'] = w.now()
                w.idx += 1
                continue
            if step is None and 'exit' in w.marks:
                continue
            raise Failure('QEMU exited (status %d) %s%s'
                          % (status, 'after the last step, with no '
                             '--expect-exit' if step is None else
                             'while waiting for ' + w.describe(),
                             ': ' + stderr_text.strip()[-300:]
                             if stderr_text.strip() else ''))


def _report(name, result, err_path):
    if result.ok:
        b = result.banner
        figures = ''
        if b:
            figures = ' (CPUs %s, %d MiB, %d ticks/%d ms)' % (
                b['cpus'], b['mem_total'], b['ticks'], b['tick_ms'])
        up = result.marks.get('up')
        print('PASS %s%s%s; transcript %s' % (
            name, ': up after %.2f s' % up if up is not None else '',
            figures, result.log_path))
        return
    print('FAIL %s: %s' % (name, result.reason))
    print('---- last lines of %s ----' % result.log_path)
    print(_tail(result.log_path, 40).rstrip())
    err = _tail(err_path, 10).strip()
    if err:
        print('---- QEMU stderr (%s) ----' % err_path)
        print(err)
    sys.stdout.flush()


# ---- command line ----

class _StepAction(argparse.Action):
    """Keeps --expect, --expect-all, --send, --after, --pause and
    --expect-exit in command-line order, which is the order of the run."""

    def __call__(self, parser, ns, value, option):
        steps = getattr(ns, 'steps', None)
        if steps is None:
            steps = []
            setattr(ns, 'steps', steps)
        last = steps[-1] if steps else None
        if option == '--expect':
            steps.append(Expect([_compile(value)], value))
        elif option == '--expect-all':
            if isinstance(last, Expect) and getattr(last, 'group', False):
                last.patterns.append(_compile(value))
            else:
                e = Expect([_compile(value)], value)
                e.group = True
                steps.append(e)
        elif option == '--send':
            steps.append(Send(value.encode().decode('unicode_escape')))
        elif option == '--after':
            if not isinstance(last, Send):
                parser.error('--after must follow a --send')
            steps.insert(len(steps) - 1,
                         Expect([_compile(value)], value, reuse_last=True))
        elif option == '--pause':
            steps.append(Pause(float(value)))
        elif option == '--expect-exit':
            steps.append(ExpectExit(int(value)))


def parse_args(argv):
    p = argparse.ArgumentParser(
        description='Boot Orrery under QEMU and check its serial console.',
        epilog='Steps run in command-line order after the banner. Exit '
               'status: 0 pass, 1 fail, 2 usage error.')
    p.add_argument('--arch', default='x86_64')
    p.add_argument('--image', help='boot this ELF with -kernel (PVH)')
    p.add_argument('--iso', help='boot this ISO with -cdrom (GRUB)')
    p.add_argument('--firmware', choices=('bios', 'uefi'), default='bios')
    p.add_argument('--smp', type=int, default=4)
    p.add_argument('--mem', default='1G')
    p.add_argument('--append', default=None,
                   help='hypervisor command line (-kernel boots only)')
    p.add_argument('--timeout', type=float, default=120.0)
    p.add_argument('--settle', type=float, default=1.0,
                   help='seconds to keep watching after the last step')
    p.add_argument('--expect-cpus', metavar='N/M',
                   help='expected "CPUs: N/M online" (default SMP/SMP)')
    p.add_argument('--no-banner', dest='banner', action='store_false',
                   help='do not wait for (or check) the banner')
    p.add_argument('--expect-panic', dest='panic_ok', action='store_true',
                   help='a panic is what the test provokes: do not fail on '
                        'PANIC (match it with --expect)')
    for opt, meta, text in (
            ('--expect', 'REGEX', 'a line matching REGEX, in order'),
            ('--expect-all', 'REGEX', 'consecutive ones: lines matching '
             'each, in any order'),
            ('--send', 'KEYS', 'type KEYS on the serial console '
             '(backslash escapes allowed)'),
            ('--after', 'REGEX', 'the preceding --send waits for a line '
             'matching REGEX (the last matched line counts)'),
            ('--pause', 'SECONDS', 'wait before the next step'),
            ('--expect-exit', 'STATUS', 'QEMU exits, with STATUS '
             '(default 0)')):
        extra = {'nargs': '?', 'const': '0'} if opt == '--expect-exit' \
            else {}
        p.add_argument(opt, metavar=meta, action=_StepAction, help=text,
                       dest='steps_' + opt.strip('-').replace('-', '_'),
                       **extra)
    p.add_argument('--expect-seen', metavar='REGEX', action='append',
                   default=[], help='some line, anywhere, matches REGEX')
    p.add_argument('--reject', metavar='REGEX', action='append', default=[],
                   help='fail at once on a line matching REGEX')
    p.add_argument('--name', help='test name: the transcript is NAME.log')
    p.add_argument('--log-dir', help='default: build/tests/boot')
    p.add_argument('--qemu', metavar='CMD',
                   help='run CMD (shell words) instead of the QEMU binary')
    p.add_argument('--qemu-arg', action='append', default=[],
                   help='one more QEMU argument (repeat as needed)')
    p.add_argument('--echo', action='store_true',
                   help='copy the serial output to stdout as it arrives')
    p.add_argument('--print-command', action='store_true',
                   help='print the QEMU command and exit')
    ns = p.parse_args(argv)
    if not hasattr(ns, 'steps'):
        ns.steps = []
    return ns


def config_from_args(ns):
    return BootConfig(
        arch=ns.arch, image=ns.image, iso=ns.iso, firmware=ns.firmware,
        smp=ns.smp, mem=ns.mem, append=ns.append, timeout=ns.timeout,
        steps=ns.steps, seen=[_compile(r) for r in ns.expect_seen],
        rejects=[_compile(r) for r in ns.reject],
        expect_cpus=ns.expect_cpus, banner=ns.banner, panic_ok=ns.panic_ok,
        settle=ns.settle,
        name=ns.name, log_dir=ns.log_dir,
        qemu=shlex.split(ns.qemu) if ns.qemu else None,
        extra=ns.qemu_arg, echo=ns.echo)


def main(argv=None):
    try:
        ns = parse_args(sys.argv[1:] if argv is None else argv)
        cfg = config_from_args(ns)
        if ns.print_command:
            print(shlex.join(qemu_cmd.qemu_command(
                cfg.arch, cfg.image, cfg.iso, cfg.firmware, cfg.smp,
                cfg.mem, cfg.append, cfg.qemu, cfg.extra)))
            return 0
        return 0 if run_boot(cfg).ok else 1
    except UsageError as e:
        print('qemu_boot: %s' % e, file=sys.stderr)
        return 2


if __name__ == '__main__':
    sys.exit(main())
