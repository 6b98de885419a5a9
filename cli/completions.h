// Shell completion scripts for bash, zsh and fish, generated from the CLI11 definition of the
// command line (cli/app.cpp): its verbs, its options, the values an option checks against a set
// (input and output formats, colour modes) and which options take files or directories. The
// build runs `dlanalyze --print-completion SHELL` and installs the result: nothing is hand-kept.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace dla {

inline constexpr const char* kCompletionShells[] = {"bash", "zsh", "fish"};

// The completion script for `shell` (one of kCompletionShells).
std::string completion_script(const CLI::App& app, const std::string& shell);

}  // namespace dla
