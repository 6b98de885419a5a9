// Runs a helper program and collects its output: the one place dlanalyze starts another process
// (the JDK's Serviceability Agent, which alone can read a JVM core's Java threads). No shell is
// involved; a program that outlives its time limit is killed, so that a hung helper never hangs
// dlanalyze.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace dla {

struct CommandResult {
  int exit_code = -1;      // the program's exit status; -1 when it did not exit by itself
  int signal = 0;          // the signal that ended it, 0 when it exited
  bool timed_out = false;  // killed after the time limit
  std::string out;         // everything it wrote to stdout
  std::string err;         // everything it wrote to stderr
  double seconds = 0;      // wall-clock time
};

// Runs argv[0] (looked up in PATH when it holds no '/') with `argv`, the environment of this
// process plus `extra_env` ("NAME=value"), stdin from /dev/null. Throws dla::Error when it cannot
// be started.
CommandResult run_command(const std::vector<std::string>& argv,
                          const std::vector<std::string>& extra_env, double timeout_seconds);

// argv as one line a user can paste into a shell: words quoted where they need it.
std::string shell_words(const std::vector<std::string>& argv);

}  // namespace dla
