#include "deadlock_dumps.h"

namespace dla::test {

std::vector<std::string> dump_arguments(const DeadlockDump& dump) {
  switch (dump.needs) {
    case Needs::kNothing:
      return {testdata(dump.file)};
    case Needs::kGoSource:
      return {testdata(dump.file), "--source-root", "/tmp/dlanalyze-go=" + testdata("go/programs")};
    case Needs::kNativeSource:
      return {testdata(dump.file), "--source-root", testdata("gdb/programs")};
    case Needs::kCore:
      // Read with the capturing machine's glibc (testdata/sysroot-deb12), as the core tests do.
      return {unpack_xz("core/" + dump.file + ".gcore"), "-e",
              unpack_xz("core/" + dump.file + ".exe"), "--sysroot", cores_sysroot()};
    case Needs::kGoCore:
      // testdata/gocore/README.md: the cases of programs/stuck, one executable.
      return {unpack_xz("gocore/" + dump.file + ".core"), "-e", unpack_xz("gocore/stuck.exe"),
              "--source-root", "/tmp/dlanalyze-gocore/stuck=" + testdata("gocore/programs/stuck")};
  }
  return {};
}

}  // namespace dla::test
