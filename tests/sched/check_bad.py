#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Bad scenario files: schedsim must exit 2 with "file:line: message".
Each file in bad/ names what it expects on its first lines, in a
"comment" key or, for files that are not JSON at all, a line of its own:
    EXPECT <line>: <text>"""
import glob
import os
import re
import subprocess
import sys

sim, d = sys.argv[1:3]
failed = 0
for path in sorted(glob.glob(os.path.join(d, "*.json"))):
    with open(path, errors="replace") as f:
        m = re.search(r'EXPECT (\d+): (.*?)",?$', f.read(), re.M)
    line, text = m.group(1), m.group(2).replace('\\"', '"')
    p = subprocess.run([sim, path], capture_output=True, text=True)
    want = f"{path}:{line}: {text}"
    ok = p.returncode == 2 and want in p.stderr
    print(("ok    " if ok else "FAIL  ") + os.path.basename(path) +
          f": exit {p.returncode}, stderr {p.stderr.strip()!r}")
    if not ok:
        print(f"      want exit 2 and {want!r}")
        failed += 1
sys.exit(1 if failed else 0)
