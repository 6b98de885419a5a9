#!/usr/bin/env python3
"""Builds vocab.txt, the word list transcribe.py keeps unchanged (the runtimes' own vocabulary).
Run in an empty directory on a Debian 12 machine with openjdk-17 (and optionally Temurin 25), golang-1.19,
gdb, elfutils and lldb-14 installed, after
    jimage extract --dir jx  /usr/lib/jvm/java-17-openjdk-amd64/lib/modules
    jimage extract --dir jx25 /usr/lib/jvm/temurin-25-jdk-amd64/lib/modules
then append, as was done for the files here:
    * the words of the tag lines (`^\s*[0-9][A-Z]{3,}|NULL`) of eclipse-openj9/openj9-docs docs/dump_javadump.md;
    * `strings -n 4` words of libjvm.so (17 and 25), /usr/bin/gdb, /usr/bin/eu-stack, liblldb;
    * the words of the string literals in /usr/lib/go-1.19/src/runtime/*.go;
and `sort -u`. Paths below are the ones of that machine; the repository's own testdata (all but wild/) and
../shared/FORMATS.md are read as the project's own captures and notes."""
import os, re, struct, subprocess, sys
words = set()
ALPHA = re.compile(r'[A-Za-z]+')
def add(s):
    for w in ALPHA.findall(s):
        words.add(w)
# JDK: class names + identifier-shaped utf8 constants
ident = re.compile(rb'^[A-Za-z_$][A-Za-z0-9_$]*$')
for root, _, files in [x for d in ('jx','jx25') for x in os.walk(d)]:
    for f in files:
        if not f.endswith('.class'): continue
        p = os.path.join(root, f)
        add(p)
        b = open(p, 'rb').read()
        try:
            n = struct.unpack('>H', b[8:10])[0]; i = 10; k = 1
            while k < n:
                t = b[i]
                if t == 1:
                    l = struct.unpack('>H', b[i+1:i+3])[0]; s = b[i+3:i+3+l]; i += 3 + l
                    if ident.match(s): add(s.decode('latin-1'))
                elif t in (3, 4, 9, 10, 11, 12, 17, 18): i += 5
                elif t in (5, 6): i += 9; k += 1
                elif t in (7, 8, 16, 19, 20): i += 3
                elif t == 15: i += 4
                else: break
                k += 1
        except Exception as e:
            pass
print('jdk', len(words), file=sys.stderr)
# Go stdlib identifiers (comments and strings removed)
strip = re.compile(r'//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|`[^`]*`', re.S)
for root, dirs, files in os.walk('/usr/lib/go-1.19/src'):
    if 'testdata' in root: continue
    add(root)
    for f in files:
        if f.endswith('.go') or f.endswith('.s'):
            try: add(strip.sub(' ', open(os.path.join(root, f), encoding='utf-8', errors='replace').read()))
            except Exception: pass
print('go', len(words), file=sys.stderr)
# native symbols
for lib in ['/lib/x86_64-linux-gnu/libc.so.6', '/lib/x86_64-linux-gnu/libstdc++.so.6', '/lib/x86_64-linux-gnu/libgcc_s.so.1', '/lib64/ld-linux-x86-64.so.2', '/lib/x86_64-linux-gnu/libm.so.6']:
    if os.path.exists(lib):
        out = subprocess.run(['nm', '-D', '--defined-only', lib], capture_output=True, text=True).stdout
        add(out)
        out = subprocess.run(['nm', '-DC', '--defined-only', lib], capture_output=True, text=True).stdout
        add(out)
print('native', len(words), file=sys.stderr)
# the project's own captures and format notes
for root, _, files in os.walk(os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))):
    if '/wild' in root: continue
    for f in files:
        if f.endswith(('.txt', '.md')):
            add(open(os.path.join(root, f), encoding='utf-8', errors='replace').read())
add(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), '../../../shared/FORMATS.md')).read())
print('all', len(words), file=sys.stderr)
open('vocab.txt', 'w').write('\n'.join(sorted(words)) + '\n')
