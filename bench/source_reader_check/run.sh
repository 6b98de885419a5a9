#!/bin/sh
# Weighs dlanalyze's hand-written source reader against real parsers on every frame line that the
# text captures under testdata/ point into (issue 17). Prints the comparisons; RESULTS.md is what
# it printed, with each disagreement judged.
#   bench/source_reader_check/run.sh [BUILD_DIR] [WORK_DIR]
# Needs: the source_reader_answers target built in BUILD_DIR (default build); go (1.19+); clang 14;
# libtree-sitter-dev 0.20.7 and npm (the grammars' generated parser.c are fetched as npm tarballs
# into WORK_DIR, never into the tree). Without npm or libtree-sitter the tree-sitter column is
# skipped. Clang's JSON dump of a C++ file is ~300 MB: expect ~30 s a C++ file.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$repo/build}" && pwd)
work=${2:-$build/source_reader_check}
mkdir -p "$work"
cd "$repo"

python3 "$here/frames.py" testdata > "$work/frames.tsv"
"$build/bench/source_reader_check/source_reader_answers" < "$work/frames.tsv" > "$work/reader.jsonl"
awk -F'\t' '$3=="go"{print $1}' "$work/frames.tsv" | sort -u > "$work/go_files"
awk -F'\t' '$3!="go"{print $1}' "$work/frames.tsv" | sort -u > "$work/c_files"

# go/ast
(cd "$here/goscopes" && go build -o "$work/goscopes" .)
xargs "$work/goscopes" < "$work/go_files" > "$work/go_ast.jsonl"

# clang (the corpus's programs include _common/truth.h; testdata/gdb's include nothing of theirs).
# SKIP_CLANG=1 skips it: ~10 minutes of CPU on this corpus.
if [ "${SKIP_CLANG:-0}" != 1 ]; then
  grep corpus/programs "$work/c_files" | xargs python3 "$here/clang_scopes.py" testdata/corpus/programs/_common > "$work/clang.jsonl"
  grep -v corpus/programs "$work/c_files" | xargs python3 "$here/clang_scopes.py" - >> "$work/clang.jsonl"
fi

# tree-sitter: grammars whose language ABI (13, 14) libtree-sitter 0.20.7 loads.
ts=""
if command -v npm > /dev/null && [ -f /usr/include/tree_sitter/api.h ]; then
  g="$work/grammars"
  mkdir -p "$g"
  for p in tree-sitter-go@0.20.0 tree-sitter-c@0.20.2 tree-sitter-cpp@0.20.0; do
    d="$g/${p%@*}"
    if [ ! -f "$d/src/parser.c" ]; then
      (cd "$g" && npm pack --silent "$p" > /dev/null && mkdir -p "$d" && tar xzf "${p%@*}-${p#*@}.tgz" -C "$d" --strip-components=1)
    fi
  done
  cc -O2 -w -c -I"$g/tree-sitter-go/src" "$g/tree-sitter-go/src/parser.c" -o "$work/ts_go.o"
  cc -O2 -w -c -I"$g/tree-sitter-c/src" "$g/tree-sitter-c/src/parser.c" -o "$work/ts_c.o"
  cc -O1 -w -c -I"$g/tree-sitter-cpp/src" "$g/tree-sitter-cpp/src/parser.c" -o "$work/ts_cpp.o"
  c++ -O2 -w -c -I"$g/tree-sitter-cpp/src" "$g/tree-sitter-cpp/src/scanner.cc" -o "$work/ts_cpp_scanner.o"
  cc -O2 -Wall -Werror "$here/ts_scopes.c" "$work"/ts_*.o -ltree-sitter -lstdc++ -o "$work/ts_scopes"
  "$work/ts_scopes" go $(cat "$work/go_files") > "$work/tree_sitter.jsonl"
  "$work/ts_scopes" c $(grep -E '\.(c|h)$' "$work/c_files") >> "$work/tree_sitter.jsonl"
  "$work/ts_scopes" cpp $(grep -E '\.(cpp|cc)$' "$work/c_files") >> "$work/tree_sitter.jsonl"
  ts="$work/tree_sitter.jsonl"
fi

# The wider sweep: every line of every function body, literal-or-not from tree-sitter's scopes
# (or go/ast's, for the Go files only, without tree-sitter).
python3 "$here/sweep.py" "$work/frames.tsv" "${ts:-$work/go_ast.jsonl}" > "$work/sweep.tsv"
"$build/bench/source_reader_check/source_reader_answers" < "$work/sweep.tsv" > "$work/sweep_reader.jsonl"

for input in reader sweep_reader; do
  echo "# $input"
  python3 "$here/compare.py" "$work/$input.jsonl" go/ast "$work/go_ast.jsonl"
  [ -f "$work/clang.jsonl" ] && python3 "$here/compare.py" "$work/$input.jsonl" clang "$work/clang.jsonl"
  [ -n "$ts" ] && python3 "$here/compare.py" "$work/$input.jsonl" tree-sitter "$ts"
done
exit 0
