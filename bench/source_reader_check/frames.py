#!/usr/bin/env python3
"""Lists the distinct frame lines (source file, line, function as printed) that the text captures
under testdata/ point into the programs whose sources testdata/ holds. Output: TSV
file<TAB>line<TAB>language<TAB>literal<TAB>function, one row per distinct (file, line, literal).
literal: 1 when the frame's function is a Go func literal (".funcN") or a C++ lambda, else 0."""
import os, re, sys

root = sys.argv[1] if len(sys.argv) > 1 else "testdata"
# How each capture set names its programs' files, and where they are in the tree.
PREFIXES = [("/tmp/dlanalyze-corpus/", "corpus/programs/"), ("/tmp/dlanalyze-go/", "go/programs/")]
CAPTURE_DIRS = ["corpus/captures", "go", "gdb"]
LANG = {".go": "go", ".c": "c", ".cpp": "cpp", ".cc": "cpp", ".h": "c"}
FRAME = re.compile(r"([A-Za-z0-9_./+-]+\.(?:go|c|cpp|cc|h)):(\d+)")
DEBUG1_FN = re.compile(r"^#\s+0x[0-9a-f]+\s+(\S+?)\+0x")
GDB_FN = re.compile(r"^#\d+\s+(?:0x[0-9a-f]+ in )?(.+?) \(.*\) at ")

def resolve(path, capture_dir):
    for prefix, local in PREFIXES:
        if path.startswith(prefix):
            p = os.path.join(root, local, path[len(prefix):])
            return p if os.path.isfile(p) else None
    if capture_dir == "gdb" and "/" not in path:
        p = os.path.join(root, "gdb/programs", path)
        return p if os.path.isfile(p) else None
    return None

rows = {}
for d in CAPTURE_DIRS:
    for dirpath, _, files in os.walk(os.path.join(root, d)):
        for name in sorted(files):
            if not name.endswith(".txt"):
                continue
            prev = ""
            with open(os.path.join(dirpath, name), errors="replace") as f:
                for text in f:
                    m = FRAME.search(text)
                    if m:
                        src = resolve(m.group(1), d.split("/")[0])
                        if src:
                            g = GDB_FN.match(text.strip()) or DEBUG1_FN.match(text.strip())
                            fn = g.group(1) if g else prev.strip().split("(")[0] if prev else ""
                            if not g and "(" in prev:
                                fn = prev.strip()[: prev.strip().rfind("(")]
                            lit = 1 if re.search(r"\.func\d|lambda|operator\(\)$", fn) else 0
                            key = (src, int(m.group(2)), lit)
                            rows.setdefault(key, fn)
                    prev = text
for (src, line, lit), fn in sorted(rows.items()):
    print(f"{src}\t{line}\t{LANG[os.path.splitext(src)[1]]}\t{lit}\t{fn}")
