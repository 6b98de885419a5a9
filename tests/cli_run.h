// Running the command line in-process (run_cli, as cli_test does) and the programs a test needs
// beside it (Graphviz's dot, Chromium), for the render and report tests.
#pragma once

#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "cli/app.h"

namespace dla::test {

struct CliRun {
  int code;
  std::string out, err;
};

inline CliRun cli_run(std::vector<std::string> args) {
  args.insert(args.begin(), "dlanalyze");
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  std::ostringstream out, err;
  int code = run_cli(static_cast<int>(argv.size()), argv.data(), out, err, false);
  return {code, out.str(), err.str()};
}

// A shell command's standard output and exit status (stderr to /dev/null unless redirected).
inline CliRun shell(const std::string& command) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out, ""};
}

inline bool have_program(const std::string& name) {
  return shell("command -v '" + name + "' >/dev/null 2>&1").code == 0;
}

// A scratch directory for one test run.
inline const std::string& scratch_dir() {
  static const std::string dir = [] {
    char tmpl[] = "/tmp/dlanalyze-render-XXXXXX";
    return std::string(mkdtemp(tmpl));
  }();
  return dir;
}

inline std::string write_scratch(const std::string& name, const std::string& content) {
  std::string path = scratch_dir() + "/" + name;
  FILE* f = fopen(path.c_str(), "wb");
  REQUIRE(f != nullptr);
  fwrite(content.data(), 1, content.size(), f);
  fclose(f);
  return path;
}

}  // namespace dla::test
