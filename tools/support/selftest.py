#!/usr/bin/env python3
"""Self-test of tools/support-check (ctest: tools.support-check-selftest).

Each fixture in fixtures/ is good.md with one defect; the test runs the
checker on it and requires exactly the expected FILE:LINE: messages, so a
check that stops firing, fires on the wrong line or fires twice fails
here. The fake seeds in fixtures/seeds/ stand in for the Xen ones.
"""

import importlib.machinery
import importlib.util
import os
import subprocess
import sys
import tempfile
import unittest

sys.dont_write_bytecode = True

HERE = os.path.dirname(os.path.abspath(__file__))
CHECKER = os.path.join(HERE, "..", "support-check")
FIXTURES = os.path.join(HERE, "fixtures")
SEEDS = os.path.join(FIXTURES, "seeds")
TESTS_LIST = os.path.join(FIXTURES, "tests-list.txt")

# fixture -> [(line, text the message must contain)], the complete list.
EXPECTED = {
    "bad-title.md": [(1, "pandoc title line")],
    "bad-label.md": [(25, "bad status 'Experimentl'")],
    "bad-status-key.md": [(39, "bad Status key 'Status narrow gauge'")],
    "bad-literal.md": [(6, "release block lacks Initial-Release"),
                       (9, "not 'Key: value': 'Initial-Release n/a'")],
    "unknown-key.md": [(21, "'Steam engine' is 'Experimental' but has "
                            "no Tests line"),
                       (26, "unknown key 'Test'")],
    "missing-tests.md": [(59, "'Signals' is 'Deprecated' but has no Tests "
                              "line")],
    "unknown-test.md": [(26, "test 'boot.stem' does not exist")],
    "level-skip.md": [(77, "heading level skips from 1 to 3")],
    "no-status.md": [(51, "feature 'Sleeper car' has no Status line")],
    "no-status-area.md": [(15, "feature 'Build options' has no Status "
                               "line")],
    "duplicate.md": [(43, "duplicate feature 'Diesel engine' in 'Engines' "
                          "(first at line 34)")],
    "missing-seed.md": [(19, "seed feature 'Horse tram' (area 'Engines', "
                             "from fake-1.0-unstable-SUPPORT.txt) is "
                             "missing")],
    "missing-area.md": [(13, "seed area 'Build options' has no")],
    "area-status.md": [(43, "'## Carriages' is a feature in "
                            "fake-2.0-SUPPORT.txt: it needs Status lines")],
    "wrong-area.md": [(66, "seed feature 'Mail van' belongs in area "
                           "'Carriages', not 'Fixture's own'")],
    "out-of-order.md": [(39, "feature 'Horse tram' is out of order")],
    "missing-definition.md": [(75, "no definition of the 'Deprecated' "
                                   "label")],
}


def run(*args):
    p = subprocess.run([sys.executable, CHECKER] + list(args), text=True,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stdout, p.stderr


def load_checker():
    loader = importlib.machinery.SourceFileLoader("support_check", CHECKER)
    spec = importlib.util.spec_from_loader("support_check", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


class Fixtures(unittest.TestCase):
    def test_every_fixture_is_listed(self):
        found = {n for n in os.listdir(FIXTURES) if n.endswith(".md")}
        self.assertEqual(found, set(EXPECTED) | {"good.md"})

    def test_good_passes(self):
        rc, out, err = run("--seeds", SEEDS, "--tests-list", TESTS_LIST,
                           os.path.join(FIXTURES, "good.md"))
        self.assertEqual((rc, err), (0, ""))
        self.assertEqual(out, "support-check: 10 features, 3 above Not "
                              "implemented, all tests present\n")

    def test_bad_fixtures(self):
        for name, expected in sorted(EXPECTED.items()):
            with self.subTest(fixture=name):
                path = os.path.join(FIXTURES, name)
                rc, out, err = run("--seeds", SEEDS, "--tests-list",
                                   TESTS_LIST, path)
                self.assertEqual(rc, 1, err)
                lines = err.splitlines()
                self.assertEqual(lines[-1], "support-check: %d problem(s)"
                                 % len(expected))
                problems = lines[:-1]
                self.assertEqual(len(problems), len(expected), err)
                for got, (line, text) in zip(problems, expected):
                    self.assertTrue(got.startswith("%s:%d: " % (path, line)),
                                    got)
                    self.assertIn(text, got)


class CommandLine(unittest.TestCase):
    good = os.path.join(FIXTURES, "good.md")

    def test_unknown_option(self):
        rc, out, err = run("--frobnicate", self.good)
        self.assertEqual(rc, 2)
        self.assertIn("usage: support-check", err)

    def test_abbreviated_option_is_unknown(self):
        rc, _, err = run("--ctest", "/nonexistent", self.good)
        self.assertEqual(rc, 2)
        self.assertIn("usage:", err)

    def test_missing_argument(self):
        rc, _, err = run("--seeds", SEEDS)
        self.assertEqual(rc, 2)
        self.assertIn("usage:", err)

    def test_without_test_list_notes_it(self):
        rc, out, err = run("--seeds", SEEDS, self.good)
        self.assertEqual(rc, 0, err)
        self.assertIn("existence was not checked", out)

    def test_without_test_list_still_needs_tests_line(self):
        rc, _, err = run("--seeds", SEEDS,
                         os.path.join(FIXTURES, "missing-tests.md"))
        self.assertEqual(rc, 1)
        self.assertIn(":59: feature 'Signals'", err)

    def test_crlf_line_endings(self):
        with open(self.good, encoding="utf-8") as f:
            text = f.read()
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "crlf.md")
            with open(path, "w", encoding="utf-8", newline="\r\n") as f:
                f.write(text)
            rc, _, err = run("--seeds", SEEDS, "--tests-list", TESTS_LIST,
                             path)
        self.assertEqual(rc, 0, err)

    def test_unreadable_inputs(self):
        for args in (["--seeds", SEEDS, "/nonexistent/SUPPORT.md"],
                     ["--seeds", "/nonexistent", self.good],
                     ["--seeds", SEEDS, "--tests-list", "/nonexistent",
                      self.good],
                     ["--seeds", SEEDS, "--ctest-dir", FIXTURES, self.good]):
            with self.subTest(args=args):
                rc, _, err = run(*args)
                self.assertEqual(rc, 2)
                self.assertIn("support-check: error:", err)


class CtestDir(unittest.TestCase):
    """--ctest-dir runs 'ctest -N'; a fake ctest prints the listing."""

    LISTING = ("Test project {dir}\n"
               "  Test  #1: unit.steam\n"
               "  Test  #2: boot.steam\n"
               "  Test #10: unit.diesel\n"
               "{extra}"
               "\nTotal Tests: 4\n")

    def check(self, extra, status=0, extra_args=()):
        with tempfile.TemporaryDirectory() as d:
            open(os.path.join(d, "CTestTestfile.cmake"), "w").close()
            fake = os.path.join(d, "fake-ctest")
            with open(fake, "w") as f:
                f.write("#!/bin/sh\n[ \"$1\" = -N ] || exit 3\n"
                        "cat <<'EOF'\n%s\nEOF\nexit %d\n"
                        % (self.LISTING.format(dir=d, extra=extra), status))
            os.chmod(fake, 0o755)
            return run("--seeds", SEEDS, "--ctest-dir", d, "--ctest-command",
                       fake, *extra_args, os.path.join(FIXTURES, "good.md"))

    def test_all_present(self):
        rc, out, err = self.check("  Test #11: unit.signals\n")
        self.assertEqual(rc, 0, err)
        self.assertIn("all tests present", out)

    def test_one_missing(self):
        rc, _, err = self.check("  Test #11: unit.signal\n")
        self.assertEqual(rc, 1)
        self.assertIn("good.md:62: test 'unit.signals' does not exist "
                      "(per 'ctest -N'", err)

    def test_not_configured_is_reported_not_required(self):
        rc, out, err = self.check("", extra_args=["--not-configured",
                                                  "unit.sig*"])
        self.assertEqual(rc, 0, err)
        self.assertIn("all tests present but 1 matching unit.sig*", out)
        rc, _, err = self.check("", extra_args=["--not-configured",
                                                "boot.*"])
        self.assertEqual(rc, 1)
        self.assertIn("test 'unit.signals' does not exist", err)

    def test_ctest_failing(self):
        rc, _, err = self.check("", status=8)
        self.assertEqual(rc, 2)
        self.assertIn("-N' failed", err)


class Seeds(unittest.TestCase):
    def test_merged_order(self):
        sc = load_checker()
        merged, areas = sc.merge_seeds(sc.load_seeds(SEEDS))
        self.assertEqual([(f.area, f.name) for f in merged], [
            ("Engines", "Steam engine"),
            ("Engines", "Horse tram"),          # only in 1.0
            ("Engines", "Diesel engine"),
            ("Carriages", "Carriages"),         # an area with a Status
            ("Carriages", "Mail van"),          # only in 1.0, first there
            ("Carriages", "Sleeper car"),
            ("Carriages", "Dining car\u2019s kitchen"),
            ("Signals", "Signals"),
        ])
        self.assertEqual(areas, ["Build options", "Engines", "Carriages",
                                 "Signals"])

    def test_norm(self):
        sc = load_checker()
        self.assertEqual(sc.norm("Hypervisor \u2018debug keys\u2019"),
                         sc.norm("hypervisor 'Debug  keys'"))
        self.assertNotEqual(sc.norm("x86/PV"), sc.norm("x86/PVH"))


if __name__ == "__main__":
    unittest.main(verbosity=2)
