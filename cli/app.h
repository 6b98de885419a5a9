// The command line as a function, so that tests run it without a process: parses argv, reads the
// input, runs the analysis, renders, and returns the exit code of the interface:
//   0 nothing stuck, 1 a cycle or a waiter that can never wake, 2 usage or input error.
#pragma once

#include <ostream>

namespace dla {

inline constexpr int kExitClean = 0;
inline constexpr int kExitFound = 1;
inline constexpr int kExitError = 2;

// `stdout_is_tty` decides --color=auto.
int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err,
            bool stdout_is_tty);

}  // namespace dla
