#!/usr/bin/env python3
"""truth2json.py -- turn a corpus program's TRUTH lines into truth.json.

  truth2json.py PROGRAM LANGUAGE STDOUT SOURCE OUT.json
      PROGRAM   the program's name; LANGUAGE go | c | cpp
      STDOUT    what the process printed (TRUTH lines, READY)
      SOURCE    the program's source file: every hold/wait line is checked to
                be a line that calls a lock function
  truth2json.py --owners TRUTH.json GDB-OWNERS.txt
      compare the owners gdb read from memory with the truth's holds
  truth2json.py --stacks TRUTH.json DUMP
      every waiting/stuck/behind task of the truth is in DUMP (Go traceback or
      gdb 'thread apply all bt') and its stack shows FILE:LINE of its wait

The program prints its truth; this script only parses, checks and rewrites it.
It exits non-zero when the truth contradicts itself or its source.
"""
import json
import re
import sys


def die(msg):
    sys.stderr.write("truth2json: %s\n" % msg)
    sys.exit(1)


def kv(rest):
    """key=value pairs; reason= takes the rest of the line."""
    out = {}
    m = re.search(r"\breason=(.*)$", rest)
    if m:
        out["reason"] = m.group(1).strip()
        rest = rest[: m.start()]
    for tok in rest.split():
        k, _, v = tok.partition("=")
        out[k] = v
    return out


def parse(program, language, stdout_path, source_path):
    t = {"program": program, "language": language, "idiom": "", "deadlock": None,
         "locks": [], "holds": [], "waits": [], "cycles": [], "stuck": [],
         "not_stuck": [], "blocked_behind": []}
    with open(stdout_path, errors="replace") as f:
        lines = f.read().splitlines()
    for ln in lines:
        if not ln.startswith("TRUTH "):
            continue
        kind, _, rest = ln[6:].partition(" ")
        if kind == "idiom":
            t["idiom"] = rest.strip()
        elif kind == "deadlock":
            t["deadlock"] = rest.strip() == "true"
        elif kind == "lock":
            d = kv(rest)
            name = rest.split("name=", 1)[1].strip()
            t["locks"].append({"address": d["addr"], "name": name, "kind": d["kind"]})
        elif kind in ("hold", "wait"):
            d = kv(rest)
            t[kind + "s"].append({"task": d["task"], "lock": d["addr"], "mode": d["mode"],
                                  "file": d["file"], "line": int(d["line"])})
        elif kind == "cycle":
            t["cycles"].append(rest.split())
        elif kind in ("stuck", "behind"):
            d = kv(rest)
            key = "stuck" if kind == "stuck" else "blocked_behind"
            t[key].append({"task": d["task"], "reason": d.get("reason", ""),
                           "file": d["file"], "line": int(d["line"])})
        elif kind == "notstuck":
            d = kv(rest)
            t["not_stuck"].append(d["task"])
        else:
            die("unknown TRUTH line: " + ln)
    check(t, source_path)
    # Cycles start with their numerically lowest member (rotation only).
    canon = []
    for c in t["cycles"]:
        i = min(range(len(c)), key=lambda k: int(c[k]))
        canon.append(c[i:] + c[:i])
    t["cycles"] = canon
    if not t["blocked_behind"]:
        del t["blocked_behind"]
    return t


def check(t, source_path):
    if t["deadlock"] is None:
        die("no 'TRUTH deadlock' line")
    if not t["idiom"]:
        die("no 'TRUTH idiom' line")
    if t["deadlock"] != bool(t["cycles"]):
        die("deadlock=%s but %d cycles" % (t["deadlock"], len(t["cycles"])))
    with open(source_path, errors="replace") as f:
        src = f.read().splitlines()
    base = source_path.rsplit("/", 1)[-1]
    locks = {l["address"]: l for l in t["locks"]}
    if len(locks) != len(t["locks"]):
        die("a lock address is named twice")
    for kind in ("holds", "waits"):
        for h in t[kind]:
            if h["lock"] not in locks:
                die("%s of unnamed lock %s" % (kind, h["lock"]))
            if h["mode"] not in ("read", "write"):
                die("bad mode " + h["mode"])
            if h["file"] != base:
                die("%s in %s, not in %s" % (kind, h["file"], base))
            text = src[h["line"] - 1] if 0 < h["line"] <= len(src) else ""
            if not re.search(r"lock|acquire", text, re.I):
                die("%s line %d is not a lock call: %r" % (kind, h["line"], text))
    waiters = [w["task"] for w in t["waits"]]
    if len(set(waiters)) != len(waiters):
        die("a task waits twice")
    for kind in ("stuck", "blocked_behind"):
        for s in t[kind]:
            text = src[s["line"] - 1] if 0 < s["line"] <= len(src) else ""
            if not text.strip():
                die("%s line %d is empty" % (kind, s["line"]))
    wait_of = {w["task"]: w for w in t["waits"]}
    for c in t["cycles"]:
        for i, a in enumerate(c):
            b = c[(i + 1) % len(c)]
            w = wait_of.get(a)
            if w is None:
                die("cycle member %s waits for nothing" % a)
            held = any(h["task"] == b and h["lock"] == w["lock"] for h in t["holds"])
            queued = (locks[w["lock"]]["kind"] == "rwlock" and w["mode"] == "read" and
                      b in wait_of and wait_of[b]["lock"] == w["lock"] and
                      wait_of[b]["mode"] == "write")
            if not (held or queued):
                die("cycle %s: %s waits for %s, which %s neither holds nor waits to write"
                    % (c, a, w["lock"], b))


def owners(truth_path, owners_path):
    t = json.load(open(truth_path))
    kinds = {l["address"]: l["kind"] for l in t["locks"]}
    got = {}
    cur = None
    for ln in open(owners_path, errors="replace"):
        m = re.match(r"^lock (0x[0-9a-f]+) (\S+)", ln)
        if m:
            cur = m.group(1)
            got[cur] = {}
            continue
        m = re.match(r"^\$\d+ = (\d+)", ln)
        if m and cur is not None:
            got[cur]["writer" if "writer" not in got[cur] else "readers"] = int(m.group(1))
    bad = 0
    for addr, kind in kinds.items():
        if addr not in got or "writer" not in got[addr]:
            print("owners: %s: gdb printed nothing" % addr)
            bad += 1
            continue
        writers = sorted({h["task"] for h in t["holds"] if h["lock"] == addr and h["mode"] == "write"})
        readers = [h for h in t["holds"] if h["lock"] == addr and h["mode"] == "read"]
        want = int(writers[0]) if writers else 0
        if got[addr]["writer"] != want:
            print("owners: %s (%s): memory says %d, truth says %d" % (addr, kind, got[addr]["writer"], want))
            bad += 1
        if kind == "rwlock":
            # glibc's __readers: bit 0 = write phase; count from bit 3. In a
            # read phase the count is the readers holding the lock; in a write
            # phase it is the readers registered to wait for the read phase.
            raw = got[addr].get("readers", 0)
            n = raw >> 3
            if raw & 1:
                want_n = len([w for w in t["waits"] if w["lock"] == addr and w["mode"] == "read"])
                what = "waiting readers (write phase)"
            else:
                want_n = len(readers)
                what = "readers holding"
            if n != want_n:
                print("owners: %s: memory says %d %s, truth says %d" % (addr, n, what, want_n))
                bad += 1
    print("owners: %d lock(s), %d mismatch(es)" % (len(kinds), bad))
    return bad


def stacks(truth_path, dump_path):
    t = json.load(open(truth_path))
    text = open(dump_path, errors="replace").read()
    blocks = {}
    for b in re.split(r"\n\n+", text):
        m = re.match(r"goroutine (\d+) \[", b.strip())
        if m:
            blocks[m.group(1)] = b
    for b in re.split(r"\n(?=Thread \d+ )", text):
        m = re.match(r"Thread \d+ \(Thread 0x[0-9a-f]+ \(LWP (\d+)\)", b)
        if m:
            blocks[m.group(1)] = b
    bad = 0
    items = t["waits"] + t["stuck"] + t.get("blocked_behind", [])
    for w in items:
        b = blocks.get(w["task"])
        if b is None:
            print("stacks: task %s not in %s" % (w["task"], dump_path))
            bad += 1
        elif "%s:%d" % (w["file"], w["line"]) not in b:
            print("stacks: task %s: %s:%d not on its stack" % (w["task"], w["file"], w["line"]))
            bad += 1
    print("stacks: %d waiting task(s), %d problem(s) in %s" % (len(items), bad, dump_path.rsplit("/", 1)[-1]))
    return bad


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--stacks":
        sys.exit(1 if stacks(sys.argv[2], sys.argv[3]) else 0)
    if len(sys.argv) == 4 and sys.argv[1] == "--owners":
        sys.exit(1 if owners(sys.argv[2], sys.argv[3]) else 0)
    if len(sys.argv) != 6:
        die(__doc__)
    prog, lang, out, srcf, dst = sys.argv[1:]
    truth = parse(prog, lang, out, srcf)
    with open(dst, "w") as f:
        json.dump(truth, f, indent=2)
        f.write("\n")
