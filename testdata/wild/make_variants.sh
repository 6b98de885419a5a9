#!/bin/sh
# Regenerates the derived variants in this directory from the committed dumps they are made from.
# Each variant is a documented, mechanical transformation of one dump (see SOURCES.md, section
# "Derived variants"); run from anywhere: sh testdata/wild/make_variants.sh
set -eu
cd "$(dirname "$0")"

# --- a JVM deadlock section (3 threads listed, 2 in the cycle) --------------------------------
B=jvm/hotspot-deadlock-section-monitors-3-listed-1-behind.dolphinscheduler-7448.txt
V=jvm/variant
{ printf '\377\376'; iconv -f UTF-8 -t UTF-16LE "$B"; } > "$V.utf16le-bom.dolphinscheduler-7448.txt"
iconv -f UTF-8 -t UTF-16LE "$B" > "$V.utf16le-nobom.dolphinscheduler-7448.txt"
{ printf '\376\377'; iconv -f UTF-8 -t UTF-16BE "$B"; } > "$V.utf16be-bom.dolphinscheduler-7448.txt"
{ printf '\357\273\277'; cat "$B"; } > "$V.utf8-bom.dolphinscheduler-7448.txt"
sed 's/$/\r/' "$B" > "$V.crlf.dolphinscheduler-7448.txt"
sed 's/^/    /' "$B" > "$V.indent4.dolphinscheduler-7448.txt"
sed 's/^/> /; s/^> $/>/' "$B" > "$V.email-quoted.dolphinscheduler-7448.txt"
{ printf 'Here is the jstack output:\n\n```\n'; cat "$B"; printf '\n```\n'; } > "$V.md-fence.dolphinscheduler-7448.txt"
{ printf '\n\n\n'; cat "$B"; } > "$V.leading-blank-lines.dolphinscheduler-7448.txt"

# --- a complete JDK 8 jstack (no deadlock), as Windows tools save it ---------------------------
B=jvm/jdk8-openjdk-jstack.tda-java8dump.txt
{ printf '\377\376'; sed 's/$/\r/' "$B" | iconv -f UTF-8 -t UTF-16LE; } > jvm/variant.utf16le-bom-crlf.tda-java8dump.txt

# --- a Go fatal deadlock, as PowerShell's `>` redirection writes it ----------------------------
B=go/go-fatal-deadlock-windows-prompt.go-acp-1.txt
{ printf '\377\376'; sed 's/$/\r/' "$B" | iconv -f UTF-8 -t UTF-16LE; } > go/variant.utf16le-bom-crlf.go-acp-1.txt

# --- old gdb thread headers, rewritten from a modern core backtrace -----------------------------
# gdb 6/7.0-era libthread_db printed the pthread_t in decimal: `Thread 2408 (Thread 1098357056 (LWP 5557)):`;
# without libthread_db gdb prints `Thread 2 (LWP 5098):`.
B=native/gdb-btfull-20-threads-core.satyr-rhbz-1032472.txt
perl -pe 's/^(Thread \d+ \(Thread )0x([0-9a-f]+)( \(LWP \d+\)\):)/$1 . hex($2) . $3/e' "$B" \
  > native/variant.old-gdb-decimal-pthread-id.satyr-rhbz-1032472.txt
perl -pe 's/^(Thread \d+ )\(Thread 0x[0-9a-f]+ (\(LWP \d+\))\):/$1$2:/' "$B" \
  > native/variant.gdb-lwp-only-headers.satyr-rhbz-1032472.txt
