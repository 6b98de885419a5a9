#!/usr/bin/env bash
# The shared objects (and glibc's detached debug files) that the committed C/C++ cores mapped,
# copied from the Debian 12 machine that captured them, so that the core tests unwind through
# glibc exactly as they did there, on any machine (passed as --sysroot). Each file keeps its path,
# compressed with xz. Run on a machine with the packages listed in README.md.
set -euo pipefail
cd "$(dirname "$0")"
lib=usr/lib/x86_64-linux-gnu
for name in libc.so.6 ld-linux-x86-64.so.2 libstdc++.so.6 libgcc_s.so.1 libm.so.6; do
  mkdir -p "$lib"
  # libstdc++.so.6 is a symlink: the cores record the file it names (libstdc++.so.6.0.30).
  real=$(readlink -f "/$lib/$name")
  xz -9 -c "$real" > "$lib/$(basename "$real").xz"
done
# libc6-dbg's debug files of libc.so.6 and ld.so, found by build-id (what the tests need for
# inlined glibc frames and their lines).
for name in libc.so.6 ld-linux-x86-64.so.2; do
  id=$(eu-readelf -n "/$lib/$name" | awk '/Build ID:/ {print $3}')
  mkdir -p "usr/lib/debug/.build-id/${id:0:2}"
  xz -9 -c "/usr/lib/debug/.build-id/${id:0:2}/${id:2}.debug" \
    > "usr/lib/debug/.build-id/${id:0:2}/${id:2}.debug.xz"
done
find usr -name '*.xz' | sort > MANIFEST
