"""The Xen seeds: rendered SUPPORT.md text with numbered headings.

From each seed this derives its areas and features; merge_seeds() then
gives the order SUPPORT.md must follow: the newest seed's, with features
that only older seeds list slotted in where those seeds had them.
"""

import os
import re

from support_md import TOP_FEATURES, Fatal, norm

SEED_HEADING_RE = re.compile(r"^(\d+(?:\.\d+)*) (\S.*?)\s*$")
SEED_STATUS_RE = re.compile(r"^Status(?:,[^:]*)?:")


class SeedFeature:
    def __init__(self, area, name, origin, is_area=False):
        self.area = area
        self.name = name
        self.origin = origin
        self.is_area = is_area      # a '##' area with Status of its own
        self.key = (norm(area), norm(name))


class Seed:
    def __init__(self, path):
        self.path = path
        self.file = os.path.basename(path)
        self.version = None
        self.areas = []
        self.features = []


def seed_heading(line, numbering):
    """Return (numbers, name) if LINE is the next numbered heading.

    Prose may start with a number too, so a candidate counts only when it
    continues the numbering: a next sibling, a first child, or the next
    sibling of an ancestor."""
    m = SEED_HEADING_RE.match(line)
    if not m:
        return None
    nums = [int(n) for n in m.group(1).split(".")]
    depth = len(nums)
    if depth > len(numbering) + 1 or nums[:-1] != numbering[:depth - 1]:
        return None
    expect = numbering[depth - 1] + 1 if depth <= len(numbering) else 1
    if nums[-1] != expect:
        return None
    return nums, m.group(2)


def parse_seed(path):
    """Derive areas and features from a rendered Xen SUPPORT.md.

    Features are the third-level headings under "Feature Support", plus
    the second-level ones that carry Status lines of their own."""
    seed = Seed(path)
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except OSError as e:
        raise Fatal("cannot read seed %s: %s" % (path, e.strerror))

    numbering = []
    in_features = False
    open_area = None        # a '##' area whose own text is being read
    area_status = False     # ... and which has Status lines of its own
    for line in lines:
        m = re.match(r"^[A-Za-z]+-Version:\s*(\S+)", line)
        if m and seed.version is None:
            seed.version = tuple(int(n) for n in
                                 re.findall(r"\d+", m.group(1).split("-")[0]))
        h = seed_heading(line, numbering)
        if h is None:
            if open_area is not None and SEED_STATUS_RE.match(line):
                area_status = True
            continue
        nums, name = h
        numbering = nums
        if open_area is not None and area_status:
            seed.features.append(SeedFeature(open_area, open_area,
                                             seed.file, True))
        open_area = None
        area_status = False
        if len(nums) == 1:
            in_features = norm(name) == TOP_FEATURES
        elif in_features and len(nums) == 2:
            open_area = name
            seed.areas.append(name)
        elif in_features:
            seed.features.append(SeedFeature(seed.areas[-1], name,
                                             seed.file))
    if open_area is not None and area_status:
        seed.features.append(SeedFeature(open_area, open_area, seed.file,
                                         True))

    if seed.version is None:
        raise Fatal("seed %s has no '<Project>-Version:' line" % path)
    if not seed.features:
        raise Fatal("seed %s: no features found under 'Feature Support'"
                    % path)
    return seed


def load_seeds(directory):
    try:
        names = sorted(n for n in os.listdir(directory)
                       if n.endswith("SUPPORT.txt"))
    except OSError as e:
        raise Fatal("cannot read seeds directory %s: %s"
                    % (directory, e.strerror))
    if not names:
        raise Fatal("no *SUPPORT.txt seed in %s" % directory)
    seeds = [parse_seed(os.path.join(directory, n)) for n in names]
    seeds.sort(key=lambda s: s.version, reverse=True)
    return seeds


def merge_seeds(seeds):
    """Order of features: the newest seed's, with each feature found only
    in an older seed placed after its predecessor there (same area), or
    first in its area (after the area's own entry) when it had none."""
    merged = list(seeds[0].features)
    areas = list(seeds[0].areas)
    for seed in seeds[1:]:
        for a in seed.areas:
            if norm(a) not in {norm(x) for x in areas}:
                areas.append(a)
        for i, f in enumerate(seed.features):
            keys = [m.key for m in merged]
            if f.key in keys:
                continue
            pos = None
            for prev in reversed(seed.features[:i]):
                if prev.key[0] == f.key[0] and prev.key in keys:
                    pos = keys.index(prev.key) + 1
                    break
            if pos is None:
                same = [j for j, k in enumerate(keys) if k[0] == f.key[0]]
                if not same:
                    pos = len(merged)
                elif merged[same[0]].is_area:
                    pos = same[0] + 1
                else:
                    pos = same[0]
            merged.insert(pos, f)
    return merged, areas
