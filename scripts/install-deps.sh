#!/usr/bin/env bash
# Installs what dlanalyze needs to build, test, benchmark and fuzz, from Debian 12's packages.
# Idempotent: does nothing when everything is already there. Uses sudo when not root.
set -euo pipefail

packages=(
  cmake make g++ pkg-config        # build
  libcli11-dev                     # command line
  libfmt-dev nlohmann-json3-dev    # text and JSON output
  libre2-dev                       # regexes for rare, irregular lines
  libdw-dev                        # ELF cores: libdw/libdwfl (unwinding, symbols, DWARF lines)
  elfutils xz-utils libc6-dbg      # testdata/core: eu-stack, the xz'd cores, glibc's debug info
  graphviz libgraphviz-dev         # --output-format dot (tests run dot -Tsvg); the report's SVG, laid out in-process
  libcmark-gfm-dev libcmark-gfm-extensions-dev  # the report: Markdown → HTML (GFM tables)
  zlib1g-dev                       # tests: reading Chromium's PNG screenshots
  chromium fonts-dejavu-core       # tests: the HTML report rendered in headless Chromium
  openjdk-17-jdk-headless gdb      # JVM cores: tests/jvm_core_test.cpp makes one with gcore and
                                   # reads it with jhsdb (fails in CI without them)
  catch2                           # tests (Catch2 v2)
  libbenchmark-dev                 # bench/
  clang                            # fuzz/ (libFuzzer)
  clang-format                     # .ci/run checks the .clang-format style
  dpkg-dev file                    # the .deb: CPack's dpkg-shlibdeps finds its library Depends
  groff-base                       # tests/usability_test.cpp renders the man page with groff
  zsh fish                         # tests/usability_test.cpp: the generated completions parse
  python3-jsonschema               # tests/schemas_test.py: the schemas by a standard validator
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "install-deps: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
