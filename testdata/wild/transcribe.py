#!/usr/bin/env python3
"""Transcribe a published dump: keep its layout byte for byte (whitespace, line endings,
quoting, encoding, numbers, addresses) and every word of the runtimes' own vocabulary
(JDK 17 classes and identifiers, Go 1.19 standard library identifiers, glibc/libstdc++
symbols, the project's own captures, format keywords); replace every other word with a
pseudo-word of the same length and letter case, the same word always by the same
pseudo-word within a run, so thread names, lock owners and cycles stay consistent.
usage: transcribe.py VOCAB IN OUT   (VOCAB: the word list mkvocab.py builds)"""
import hashlib, re, sys

KEEP = set('''JRockit BEA HotSpot OpenJDK OpenJ9 IBM Dalvik ART Android Java Go gdb lldb GNU Linux Windows
Solaris AIX HP Oracle Eclipse Temurin Zulu Corretto Azul Microsoft Apple macOS Darwin FreeBSD Ubuntu Debian
Fedora RHEL CentOS Red Hat Amazon Adoptium AdoptOpenJDK GraalVM Liberica Semeru Sun SAP
threadDump processId time runtimeVersion threadContainers container parent owner threads tid name stack
virtual threadCount
DALVIK THREADS sysTid nice cgrp sched handle schedstat utm stm core HZ mutexes held Cmd line pid prio tid
sCount dsCount flags obj self group zombie Native Suspended Sleeping Waiting Runnable Blocked VmWait Monitor
fat thin lock flatlock alive daemon native_waiting native_blocked waitForSignal Waiting notification Lock
released while waiting trace end of FULL THREAD DUMP Blocked trying to get lock Holding Parked
DestroyJavaVM Reaper Sweeper RemSet Ctrl Cleaner Deflation Refine Conc Marker Uncommitter Unmapper ZDirector
ZDriver ZStat ZWorker ZThread JVMCI CompilerThread Disposer XToolkit AWT EventQueue XAWT RMI TCP JMX Finalizer
goroutine goroutines originating elided asleep semacquire runnable syscall LWP Backtrace pstack gstack eu
'''.split())

def load_vocab(path):
    v = set(open(path).read().split())
    return v, {w.lower() for w in v}

def decode(b):
    if b.startswith(b'\xef\xbb\xbf'): return b[3:].decode('utf-8'), 'utf-8-sig'
    if b.startswith(b'\xff\xfe'): return b[2:].decode('utf-16-le'), 'utf-16-le-bom'
    if b.startswith(b'\xfe\xff'): return b[2:].decode('utf-16-be'), 'utf-16-be-bom'
    if len(b) > 8 and b[1::2].count(0) > len(b) // 4: return b.decode('utf-16-le'), 'utf-16-le'
    if len(b) > 8 and b[0::2].count(0) > len(b) // 4: return b.decode('utf-16-be'), 'utf-16-be'
    try: return b.decode('utf-8'), 'utf-8'
    except UnicodeDecodeError: return b.decode('latin-1'), 'latin-1'

def encode(s, enc):
    return {'utf-8-sig': lambda: b'\xef\xbb\xbf' + s.encode('utf-8'),
            'utf-16-le-bom': lambda: b'\xff\xfe' + s.encode('utf-16-le'),
            'utf-16-be-bom': lambda: b'\xfe\xff' + s.encode('utf-16-be'),
            'utf-16-le': lambda: s.encode('utf-16-le'), 'utf-16-be': lambda: s.encode('utf-16-be'),
            'utf-8': lambda: s.encode('utf-8'), 'latin-1': lambda: s.encode('latin-1')}[enc]()

CONS, VOW = 'bcdfghjklmnprstvz', 'aeiou'
TOKEN = re.compile(r'0[xX][0-9A-Fa-f]+|[0-9][0-9A-Za-z]*|[A-Za-z]+|[^\W\d_A-Za-z]+')

class Tx:
    def __init__(self, vocab, vlow, extra=()):
        self.v, self.vl = vocab, vlow
        self.keep = KEEP | set(extra)
        self.map, self.used = {}, set()
    def kept(self, w):
        return (len(w) <= 2 or w in self.keep or w in self.v or
                (len(w) <= 4 and w.lower() in self.vl))
    def pseudo(self, w):
        if w in self.map: return self.map[w]
        salt = 0
        while True:
            h = hashlib.sha256(f'{salt}:{w.lower()}'.encode()).digest()
            if w.isascii():
                out = []
                for i, c in enumerate(w):
                    pool = VOW if i % 2 else CONS
                    ch = pool[h[i % 32] % len(pool)]
                    out.append(ch.upper() if c.isupper() else ch)
                p = ''.join(out)
            else:  # non-Latin letters: keep each character's script block
                p = ''.join(chr((ord(c) & ~0x3f) | (h[i % 32] & 0x3f)) if ord(c) > 0x2000 else
                            'äöüéèñç'[h[i % 32] % 7] for i, c in enumerate(w))
            if p != w and p not in self.used and p not in self.v:
                break
            salt += 1
        self.map[w] = p; self.used.add(p)
        return p
    def word(self, m):
        t = m.group(0)
        if t[0].isdigit(): return t
        return t if self.kept(t) else self.pseudo(t)
    def text(self, s):
        return TOKEN.sub(self.word, s)

if __name__ == '__main__':
    vocab, vlow = load_vocab(sys.argv[1])
    raw = open(sys.argv[2], 'rb').read()
    s, enc = decode(raw)
    tx = Tx(vocab, vlow)
    open(sys.argv[3], 'wb').write(encode(tx.text(s), enc))
    print(f'{sys.argv[3]}: {enc}, {len(tx.map)} words replaced', file=sys.stderr)
