#!/usr/bin/env python3
"""Sets the hand-written reader's answers (reader_answers) beside a real parser's scopes
(goscopes, clang_scopes.py, ts_scopes) at every frame line, and prints the agreements and every
disagreement. Usage: compare.py READER.jsonl PARSER_NAME SCOPES.jsonl [SCOPES.jsonl…]

Per frame line L, from the parser's scopes:
  function  the innermost function containing L (a literal/lambda when the frame runs one, as
            the reader is told): name, first line, last line; whether it is a literal;
  blocks    the start lines of the blocks ({…}) of that function around the start of L
            (sl < L <= el; the function's body also when it opens on L), innermost first;
  per lock call the reader finds in the function before L:
    in_literal  the innermost function around the call is not the frame's;
    open        the innermost block or alternative (case, braceless if/for body) around the
                call contains L;
    deferred    (Go) the call is inside a defer statement;
    held        the reader's own rule replayed on the parser's scopes: acquires in open scopes
                count, non-deferred releases in open scopes release, a closed scope that ends in a
                terminating statement is skipped whole, a closed scope's net release releases.
"""
import json, sys
from collections import defaultdict

reader_path, parser_name, scope_paths = sys.argv[1], sys.argv[2], sys.argv[3:]
files = {}
for p in scope_paths:
    for l in open(p):
        d = json.loads(l)
        files[d["file"]] = d

frames = []
reader_time = {}
for l in open(reader_path):
    d = json.loads(l)
    if "timing" in d:
        reader_time[d["timing"]] = d["micros"]
    elif d["file"] in files:
        frames.append(d)


def contains_pos(s, line, col):
    return (s["sl"], s["sc"]) <= (line, col) <= (s["el"], s["ec"])


def contains_line(s, line):
    return s["sl"] < line <= s["el"]


def last_name(n):
    return n.split("::")[-1]


stats = defaultdict(lambda: defaultdict(int))
disagreements = []
for f in frames:
    lang, L = f["language"], f["line"]
    scopes = files[f["file"]]["scopes"]
    where = f"{f['file']}:{L} ({f['frame_function']})"
    # Go's "created by F" line is the go statement in F, which no frame runs: the engine reads
    # it for the call's arguments (call_on), never through function_at. Counted apart.
    created = f["frame_function"].startswith("created by")
    st = stats[lang + (" created-by lines" if created else " frames")]
    st["checked"] += 1
    fns = [s for s in scopes if s["kind"] in ("func", "lit") and s["sl"] <= L <= s["el"]]
    want = "lit" if f["frame_literal"] else "func"
    pick = [s for s in fns if s["kind"] == want] or fns
    pfn = max(pick, key=lambda s: (s["sl"], s["sc"])) if pick else None
    rfn = f["function"]
    diffs = []
    if pfn is None or rfn is None:
        if (pfn is None) != (rfn is None):
            diffs.append(("function", f"reader {rfn and rfn['name']!r} vs {parser_name} {pfn and pfn.get('name')!r}"))
    else:
        rname = last_name(rfn["name"]) if rfn["name"] else ""
        pname = last_name(pfn.get("name", "")) if pfn["kind"] == "func" else ""
        if rname != pname:
            diffs.append(("function name", f"reader {rfn['name']!r} vs {parser_name} {pfn.get('name') or '(literal)'!r}"))
        if rfn["header_line"] != pfn["sl"]:
            diffs.append(("function first line", f"reader {rfn['header_line']} vs {parser_name} {pfn['sl']}"))
        if rfn["end_line"] != pfn["el"]:
            diffs.append(("function last line", f"reader {rfn['end_line']} vs {parser_name} {pfn['el']}"))
        if rfn["literal"] != (pfn["kind"] == "lit"):
            diffs.append(("literal", f"reader {rfn['literal']} vs {parser_name} {pfn['kind'] == 'lit'}"))
    if pfn is not None:
        inside = lambda s: (s["sl"], s["sc"]) >= (pfn["sl"], pfn["sc"]) and (s["el"], s["ec"]) <= (pfn["el"], pfn["ec"])
        blocks = [s for s in scopes if s["kind"] == "block" and inside(s) and
                  (contains_line(s, L) or (s["sl"] == L and s["el"] == pfn["el"]))]
        # Innermost first; a function's own body counts, a nested literal's blocks only when L is in it.
        blocks.sort(key=lambda s: (s["sl"], s["sc"]), reverse=True)
        pchain = [s["sl"] for s in blocks]
        if pchain != f["blocks"]:
            diffs.append(("blocks", f"reader {f['blocks']} vs {parser_name} {pchain}"))
        # Lock calls.
        held = []  # (call index) in order
        pending = []  # closed events of the current outermost closed scope
        pending_scope = None

        def flush():
            global pending, pending_scope
            net = {}
            for c in pending:
                n = net.setdefault(c["expression"], {"released": False, "taken": False})
                if c["release"]:
                    if n["taken"]:
                        n["taken"] = False
                    else:
                        n["released"] = True
                elif n["released"]:
                    n["released"] = False
                else:
                    n["taken"] = True
            for e, n in net.items():
                if n["released"]:
                    for k in range(len(held) - 1, -1, -1):
                        if held[k]["expression"] == e:
                            del held[k]
                            break
            pending, pending_scope = [], None

        pheld = set()
        for i, c in enumerate(f["calls"]):
            st["calls"] += 1
            cl, cc = c["line"], c["column"]
            around = [s for s in scopes if s["kind"] in ("func", "lit") and contains_pos(s, cl, cc)]
            cfn = max(around, key=lambda s: (s["sl"], s["sc"])) if around else None
            p_lit = cfn is None or (cfn["sl"], cfn["sc"]) != (pfn["sl"], pfn["sc"])
            enclosing = [s for s in scopes if s["kind"] in ("block", "alt") and inside(s) and contains_pos(s, cl, cc)]
            enclosing.sort(key=lambda s: (s["sl"], s["sc"], -s["el"], -s["ec"]))  # outermost first
            closed = [s for s in enclosing if not (contains_line(s, L) or (s["sl"] == pfn["sl"] and s["el"] == pfn["el"]))]
            p_open = not closed
            p_def = any(contains_pos(s, cl, cc) for s in files[f["file"]]["defers"])
            c["p"] = {"in_literal": p_lit, "open": p_open, "deferred": p_def}
            if not p_lit:
                if p_open:
                    flush()
                    if not c["release"]:
                        held.append(dict(c, index=i))
                    elif not p_def:
                        for same in (True, False):
                            ks = [k for k in range(len(held) - 1, -1, -1)
                                  if held[k]["expression"] == c["expression"] and (not same or held[k]["shared"] == c["shared"])]
                            if ks:
                                del held[ks[0]]
                                break
                else:
                    outer = closed[0]
                    if pending_scope is not None and pending_scope != outer:
                        flush()
                    pending_scope = outer
                    if not any(s.get("terminates") for s in closed) and not p_def:
                        pending.append(c)
        flush()
        pheld = {h["index"] for h in held}
        for i, c in enumerate(f["calls"]):
            p = c["p"]
            tag = f"{c['line']}:{c['column']} {'release' if c['release'] else 'acquire'} {c['expression']}"
            if p["in_literal"] != c["in_literal"]:
                diffs.append(("call in literal", f"{tag}: reader {c['in_literal']} vs {parser_name} {p['in_literal']}"))
            if not p["in_literal"] and p["open"] != c["open"]:
                diffs.append(("call open", f"{tag}: reader {c['open']} vs {parser_name} {p['open']}"))
            if lang == "go" and p["deferred"] != c["deferred"] and not p["in_literal"]:
                diffs.append(("call deferred", f"{tag}: reader {c['deferred']} vs {parser_name} {p['deferred']}"))
            if not c["release"] and (i in pheld) != c["held"]:
                diffs.append(("held", f"{tag}: reader {c['held']} vs {parser_name} {i in pheld}"))
    for kind in ("function", "function name", "function first line", "function last line", "literal", "blocks",
                 "call in literal", "call open", "call deferred", "held"):
        if not any(k == kind for k, _ in diffs):
            st["agree " + kind] += 1
    if not diffs:
        st["frames agreeing on everything"] += 1
    for kind, text in diffs:
        disagreements.append((created, where, kind, text))

print(f"## reader vs {parser_name}\n")
for lang, st in sorted(stats.items()):
    print(f"{lang}: " + ", ".join(f"{k} {v}" for k, v in st.items() if k != "frames"))
print()
seen = set()
for created in (False, True):
    if created and any(c for c, *_ in disagreements):
        print("\ncreated-by lines:")
    for c, where, kind, text in disagreements:
        if c == created:
            print(f"- {where}: {kind}: {text}")
print()
tot_r = tot_p = 0
for path in sorted(files):
    if path in reader_time:
        tot_r += reader_time[path]
        tot_p += files[path]["micros"]
print(f"time over {len(files)} files: reader {tot_r/1000:.1f} ms (load + blanking + answers for every frame), "
      f"{parser_name} {tot_p/1000:.1f} ms (parse + walk)")
errs = [(p, d["error"]) for p, d in files.items() if "error" in d]
for p, e in errs:
    print(f"parse errors: {p}: {e}")
