#!/usr/bin/python3
"""The JSON Schemas of schemas/ checked by a standard validator (Debian's python3-jsonschema): each is a
valid draft 2020-12 schema, and dlanalyze's output validates against it (every text dump of
testdata/jvm, jvm-sa, go and gdb with --all-tasks; diff over two series). tests/json_contract_test.cpp
checks every dump and core strictly with its own checker; this test makes sure the schemas mean to a
standard validator what that checker takes them to mean.

Usage: schemas_test.py DLANALYZE SOURCE_DIR"""
import glob
import json
import os
import subprocess
import sys

import jsonschema

binary, source = sys.argv[1], sys.argv[2]
os.chdir(source)
failures = 0


def validator(name):
    with open(f"schemas/{name}.schema.json") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def check(v, args, what):
    """Validates the output; False when there was none (not a dump: exit 2, one line on stderr)."""
    global failures
    out = subprocess.run([binary, "--output-format", "json"] + args, capture_output=True, text=True).stdout
    if not out.strip():
        return False
    errors = list(v.iter_errors(json.loads(out)))
    for e in errors[:3]:
        print(f"{what}: {e.json_path}: {e.message[:300]}")
    failures += bool(errors)
    return True


one = validator("dlanalyze-1")
dumps = 0
for kind in ["jvm", "jvm-sa", "go", "gdb"]:
    for path in sorted(glob.glob(f"testdata/{kind}/*.txt")):
        if "truth" in path:
            continue
        dumps += check(one, ["--all-tasks", "--source-root", f"testdata/{kind}/programs", path], path)
diff = validator("dlanalyze-diff-1")
for args in [sorted(glob.glob("testdata/series/go_leak/leak.*.debug2.txt")),
             ["testdata/series/jvm_kill3_twice/kill3-twice.stdout.txt"]]:
    if not check(diff, ["diff"] + args, f"diff {args}"):
        print(f"diff {args}: no output")
        failures += 1
print(f"{dumps} dumps and 2 diffs against the schemas: {failures} failed")
if dumps < 100:
    print("too few dumps: testdata moved?")
    failures += 1
sys.exit(1 if failures else 0)
