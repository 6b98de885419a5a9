#include "deadlock_dumps.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>

namespace dla::test {

namespace {

// testdata/core/<file>.xz decompressed (once per test run) into a scratch directory.
std::string unpacked(const std::string& file) {
  static const std::string dir = [] {
    char tmpl[] = "/tmp/dlanalyze-dumps-XXXXXX";
    return std::string(mkdtemp(tmpl));
  }();
  static std::map<std::string, std::string> done;
  if (auto it = done.find(file); it != done.end()) return it->second;
  std::string out = dir + "/" + file;
  std::string cmd = "xz -dc '" + testdata("core/" + file + ".xz") + "' > '" + out + "'";
  REQUIRE(std::system(cmd.c_str()) == 0);
  ::chmod(out.c_str(), 0755);
  done.emplace(file, out);
  return out;
}

}  // namespace

std::vector<std::string> dump_arguments(const DeadlockDump& dump) {
  switch (dump.needs) {
    case Needs::kNothing:
      return {testdata(dump.file)};
    case Needs::kGoSource:
      return {testdata(dump.file), "--source-root", "/tmp/dlanalyze-go=" + testdata("go/programs")};
    case Needs::kNativeSource:
      return {testdata(dump.file), "--source-root", testdata("gdb/programs")};
    case Needs::kCore:
      return {unpacked(dump.file + ".gcore"), "-e", unpacked(dump.file + ".exe")};
  }
  return {};
}

}  // namespace dla::test
