#!/usr/bin/env python3
"""Prints, for each C or C++ file named on the command line, the scopes clang's AST finds
(clang -Xclang -ast-dump=json -fsyntax-only): function definitions, lambdas, compound statements
({…}), the bodies of braceless if/else/for/while/do and the alternatives of a switch, each with
its extent (0-based byte columns) and whether its last statement never falls through. One JSON
object per file, in the format of goscopes; "micros" is clang's time plus this script's.

The dump of a C++ file that includes the standard library is hundreds of megabytes: it is read as
a stream, and only the top-level declarations whose location is in the file itself are parsed."""
import json, os, subprocess, sys, time

INCLUDE = sys.argv[1]  # -I directory (the corpus's _common), "-" for none
TERMINATING_CALLS = {"exit", "_exit", "abort", "pthread_exit", "terminate"}  # dlanalyze's table
FUNCS = {"FunctionDecl", "CXXMethodDecl", "CXXConstructorDecl", "CXXDestructorDecl",
         "CXXConversionDecl"}


def line_starts(text):
    starts = [0]
    for i, c in enumerate(text):
        if c == 10:
            starts.append(i + 1)
    return starts


def position(starts, offset):
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo + 1, offset - starts[lo]


def offset_of(loc, end=False):
    if "expansionLoc" in loc:
        loc = loc["expansionLoc"]
    if "offset" not in loc:
        return None
    return loc["offset"] + (loc.get("tokLen", 1) - 1 if end else 0)


def called_name(node):
    """The name a call expression calls, from its first DeclRefExpr."""
    stack = [node]
    while stack:
        n = stack.pop()
        if n.get("kind") == "DeclRefExpr":
            return n.get("referencedDecl", {}).get("name", "")
        stack.extend(reversed(n.get("inner", [])))
    return ""


def last_statement(node):
    while node.get("kind") in ("CaseStmt", "DefaultStmt", "LabelStmt", "AttributedStmt"):
        inner = node.get("inner", [])
        if not inner:
            return node
        node = inner[-1]
    return node


def terminates(stmt):
    if stmt is None:
        return False
    stmt = last_statement(stmt)
    k = stmt.get("kind")
    if k in ("ReturnStmt", "ContinueStmt", "GotoStmt", "CXXThrowExpr"):
        return True
    if k in ("ExprWithCleanups",) and stmt.get("inner"):
        return terminates(stmt["inner"][0])
    if k == "CallExpr":
        return called_name(stmt) in TERMINATING_CALLS
    return False


def scopes_of(path):
    lang_args = ["clang++", "-std=c++20"] if path.endswith((".cpp", ".cc")) else ["clang", "-std=gnu11"]
    args = lang_args + ["-Xclang", "-ast-dump=json", "-fsyntax-only", "-w"]
    if INCLUDE != "-":
        args += ["-I", INCLUDE]
    src = open(path, "rb").read()
    starts = line_starts(src)
    proc = subprocess.Popen(args + [path], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    chunks, chunk, cur_file, chunk_file, errors = [], None, None, None, 0
    real = os.path.realpath(path)
    mine = {}  # file name as clang prints it -> whether it is `path`
    in_included_from = False
    for raw in proc.stdout:
        if raw.startswith("    {"):
            chunk, chunk_file = [raw], None
            continue
        if chunk is None:
            continue
        s = raw.lstrip()
        # "includedFrom": {"file": …} names the includer, not the location's file.
        if s.startswith('"includedFrom"'):
            in_included_from = True
        elif s.startswith('"file": ') and not in_included_from:
            cur_file = json.loads(s.rstrip().rstrip(",").split(": ", 1)[1])
        elif s.startswith("}"):
            in_included_from = False
        if chunk_file is None and s.startswith('"tokLen"'):
            chunk_file = cur_file
            if chunk_file not in mine:
                mine[chunk_file] = os.path.realpath(chunk_file) == real
        keep = chunk_file is None or mine[chunk_file]
        if raw.startswith("    }"):
            if keep and chunk_file is not None:
                chunk.append("}")
                chunks.append("".join(chunk))
            chunk = None
            continue
        if keep:
            chunk.append(raw)
    stderr = proc.stderr.read()
    proc.wait()
    errors = stderr.count("error:")
    scopes = []

    def add(kind, node, name="", term=False, begin=None, end=None):
        r = node.get("range", {})
        b = begin if begin is not None else offset_of(r.get("begin", {}))
        e = end if end is not None else offset_of(r.get("end", {}), end=True)
        if b is None or e is None:
            return
        (sl, sc), (el, ec) = position(starts, b), position(starts, e)
        s = {"kind": kind, "name": name, "sl": sl, "sc": sc, "el": el, "ec": ec}
        if term:
            s["terminates"] = True
        if s not in scopes:
            scopes.append(s)

    def body_alt(stmt):
        if stmt is not None and stmt.get("kind") not in ("CompoundStmt", None):
            add("alt", stmt, term=terminates(stmt))

    def walk(node):
        k = node.get("kind")
        inner = node.get("inner", [])
        if node.get("isImplicit"):
            return  # implicit members, a lambda's class: no text of their own
        if k in FUNCS and any(c.get("kind") == "CompoundStmt" for c in inner):
            add("func", node, name=node.get("name", ""))
        elif k == "LambdaExpr":
            add("lit", node)
            inner = [c for c in inner if c.get("kind") != "CXXRecordDecl"]  # its operator()
        elif k == "CompoundStmt":
            add("block", node, term=terminates(inner[-1]) if inner else False)
        elif k == "IfStmt" and inner:
            if node.get("hasElse"):
                body_alt(inner[-2])
                body_alt(inner[-1] if inner[-1].get("kind") != "IfStmt" else None)
            else:
                body_alt(inner[-1])
        elif k in ("ForStmt", "WhileStmt", "CXXForRangeStmt") and inner:
            body_alt(inner[-1])
        elif k == "DoStmt" and inner:
            body_alt(inner[0])
        elif k == "SwitchStmt" and inner and inner[-1].get("kind") == "CompoundStmt":
            body = inner[-1]
            stmts = body.get("inner", [])
            end = offset_of(body["range"]["end"], end=True) - 1
            labels = [i for i, c in enumerate(stmts) if c.get("kind") in ("CaseStmt", "DefaultStmt")]
            for j, i in enumerate(labels):
                stop = labels[j + 1] if j + 1 < len(labels) else len(stmts)
                last_end = offset_of(stmts[stop]["range"]["begin"]) - 1 if stop < len(stmts) else end
                add("alt", stmts[i], term=terminates(stmts[stop - 1]),
                    end=last_end)
        for c in inner:
            walk(c)

    for text in chunks:
        walk(json.loads(text))
    return scopes, errors


for path in sys.argv[2:]:
    t0 = time.time()
    scopes, errors = scopes_of(path)
    out = {"file": path, "scopes": scopes, "defers": [], "micros": (time.time() - t0) * 1e6}
    if errors:
        out["error"] = f"{errors} errors from clang"
    print(json.dumps(out), flush=True)
