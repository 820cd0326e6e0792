"""SUPPORT.md's markdown, as support-check reads it.

The accepted subset is what Xen's SUPPORT.md uses: a pandoc title line,
atx headings ('#' top sections, '##' areas, '###' features) and literal
blocks (indented by four spaces, after a blank line or a heading) holding
'Key: value' lines. parse_document() records what it finds and the format
errors it meets; the cross-checks live in support-check itself.
"""

import re

LABELS = ("Experimental", "Tech Preview", "Supported", "Deprecated",
          "Not implemented")
NOT_IMPLEMENTED = "Not implemented"
# The four keys every label definition carries (Xen's "Format and
# definitions" section, §3.2 of the rendered seeds).
DEFINITION_KEYS = ("Functional completeness", "Functional stability",
                   "Interface stability", "Security supported")
RELEASE_KEYS = ("Initial-Release", "Supported-Until",
                "Security-Support-Until")

TOP_SECTIONS = ("Release Support", "Feature Support",
                "Format and definitions")
TOP_RELEASE = "release support"
TOP_FEATURES = "feature support"
TOP_DEFINITIONS = "format and definitions"

TITLE_RE = re.compile(r"^% Support statement for \S")
HEADING_RE = re.compile(r"^(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
KEY_VALUE_RE = re.compile(r"^([^\s:]|[^\s:][^:]*[^\s:]):[ \t]+(\S.*?)\s*$")
STATUS_KEY_RE = re.compile(r"^Status(?:, (\S.*))?$")


class Fatal(Exception):
    """The check cannot run at all (exit status 2)."""


def norm(name):
    """Compare headings ignoring case, punctuation and spacing, so that
    "Hypervisor 'debug keys'" matches the seed's typographic quotes."""
    out = "".join(c if c.isalnum() else " " for c in name.lower())
    return " ".join(out.split())


class Entry:
    """A '##' or '###' heading under '# Feature Support'."""

    def __init__(self, line, level, name, area):
        self.line = line
        self.level = level
        self.name = name
        self.area = area            # the area's name; itself for '##'
        self.statuses = []          # (line, variant, label)
        self.tests = []             # (line, name)
        self.bad_statuses = 0       # Status lines already reported
        self.children = 0

    @property
    def key(self):
        return (norm(self.area), norm(self.name))

    def is_feature(self):
        return (self.level == 3 or bool(self.statuses) or
                self.bad_statuses > 0 or self.children == 0)


class Document:
    def __init__(self, path):
        self.path = path
        self.problems = []          # (line, message)
        self.tops = {}              # normalised '#' name -> line
        self.top_order = []
        self.entries = []
        self.release_keys = {}
        self.definitions = {}       # normalised heading -> {key: value}

    def error(self, line, message):
        self.problems.append((line, message))

    def features(self):
        return [e for e in self.entries if e.is_feature()]


def status_label(value):
    for label in LABELS:
        if value == label:
            return label
        if value.startswith(label + ", ") and value[len(label) + 2:].strip():
            return label
    return None


def parse_literal(doc, lineno, text, top, entry, definition):
    m = KEY_VALUE_RE.match(text)
    if not m:
        doc.error(lineno, "literal block line is not 'Key: value': %r"
                  % text.strip())
        return
    key, value = m.group(1), m.group(2)

    if top == TOP_RELEASE:
        doc.release_keys[key] = value
        return
    if top == TOP_DEFINITIONS:
        if definition is not None:
            doc.definitions.setdefault(definition, {})[key] = value
        return
    if top != TOP_FEATURES:
        if key.lower().startswith("status"):
            doc.error(lineno, "Status line outside '# Feature Support'")
        return
    if entry is None:
        doc.error(lineno, "literal block is not under a '##' or '###' "
                  "heading")
        return

    if key == "Tests":
        for name in value.split(","):
            name = name.strip()
            if not name or len(name.split()) != 1:
                doc.error(lineno, "bad test name %r in Tests line (expected "
                          "'Tests: name1, name2')" % name)
            else:
                entry.tests.append((lineno, name))
        return
    if not key.lower().startswith("status"):
        doc.error(lineno, "unknown key %r (expected 'Status', "
                  "'Status, <variant>' or 'Tests')" % key)
        return
    km = STATUS_KEY_RE.match(key)
    if not km:
        entry.bad_statuses += 1
        doc.error(lineno, "bad Status key %r (expected 'Status' or "
                  "'Status, <variant>')" % key)
        return
    variant = km.group(1)
    label = status_label(value)
    if label is None:
        entry.bad_statuses += 1
        doc.error(lineno, "bad status %r: the label must be one of %s, "
                  "optionally followed by ', qualifier'"
                  % (value, ", ".join(LABELS)))
        return
    for line, v, _ in entry.statuses:
        if v == variant:
            doc.error(lineno, "duplicate %r for '%s' (first at line %d)"
                      % (key, entry.name, line))
            return
    entry.statuses.append((lineno, variant, label))


def parse_document(path, text):
    doc = Document(path)
    lines = [l[:-1] if l.endswith("\r") else l for l in text.split("\n")]
    if not lines or not TITLE_RE.match(lines[0]):
        doc.error(1, "first line must be a pandoc title line "
                  "'% Support statement for <project>'")

    top = None
    area = None
    entry = None
    definition = None
    last_level = 0
    prev = "blank"
    in_fence = False
    for lineno, line in enumerate(lines, 1):
        if lineno == 1:
            prev = "para"
            continue
        if line.startswith("```") or line.startswith("~~~"):
            in_fence = not in_fence
            prev = "para"
            continue
        if in_fence:
            continue
        if not line.strip():
            prev = "blank"
            continue
        if line.startswith("    ") or line.startswith("\t"):
            if prev in ("blank", "heading", "literal"):
                text_ = line[1:] if line.startswith("\t") else line[4:]
                parse_literal(doc, lineno, text_, top, entry, definition)
                prev = "literal"
            continue
        if line.startswith("#"):
            m = HEADING_RE.match(line)
            if not m or not m.group(2):
                doc.error(lineno, "malformed heading (1 to 6 '#', a space, "
                          "then the name)")
                prev = "para"
                continue
            level, name = len(m.group(1)), m.group(2)
            if level > last_level + 1:
                doc.error(lineno, "heading level skips from %d to %d"
                          % (last_level, level))
            last_level = level
            prev = "heading"
            if level == 1:
                top = norm(name)
                if top in doc.tops:
                    doc.error(lineno, "duplicate section '# %s' (first at "
                              "line %d)" % (name, doc.tops[top]))
                else:
                    doc.tops[top] = lineno
                    doc.top_order.append(top)
                area = entry = definition = None
            elif top == TOP_FEATURES and level == 2:
                area = entry = Entry(lineno, 2, name, name)
                doc.entries.append(entry)
            elif top == TOP_FEATURES and level == 3 and area is None:
                entry = None    # the level skip is reported above
            elif top == TOP_FEATURES and level == 3:
                entry = Entry(lineno, 3, name, area.name)
                area.children += 1
                doc.entries.append(entry)
            elif top == TOP_DEFINITIONS:
                definition = norm(name)
            continue
        prev = "para"
    if in_fence:
        doc.error(len(lines), "unterminated fenced block")
    return doc
