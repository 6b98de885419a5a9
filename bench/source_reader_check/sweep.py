#!/usr/bin/env python3
"""A wider sweep than the captured frames: every non-blank line inside a function body of the
same files, as if a frame stood there. Prints frames.py's TSV. Whether a frame there would run a
literal/lambda (which a real frame's name says: "main.main.func1", "operator()") is taken from
the scopes file given (the innermost function around the line), since no runtime printed it.
Usage: sweep.py FRAMES.tsv SCOPES.jsonl"""
import json, sys

frames_path, scopes_path = sys.argv[1], sys.argv[2]
langs = {}
for row in open(frames_path):
    path, _, lang, _, _ = row.rstrip("\n").split("\t")
    langs[path] = lang
for l in open(scopes_path):
    d = json.loads(l)
    if d["file"] not in langs:
        continue
    lines = open(d["file"], errors="replace").read().split("\n")
    fns = [s for s in d["scopes"] if s["kind"] in ("func", "lit")]
    for n in range(1, len(lines) + 1):
        text = lines[n - 1].strip()
        if not text or text.startswith(("//", "/*", "*", "#")):
            continue
        around = [s for s in fns if s["sl"] < n <= s["el"]]
        if not around:
            continue
        inner = max(around, key=lambda s: (s["sl"], s["sc"]))
        lit = 1 if inner["kind"] == "lit" else 0
        print(f"{d['file']}\t{n}\t{langs[d['file']]}\t{lit}\tsweep")
