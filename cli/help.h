// What the command line says about itself, generated from its CLI11 definition (cli/app.cpp):
// the one-screen --help, and the one-line messages for usage errors (the nearest option for a
// misspelt one, the values an option takes for a value it does not).
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace dla {

// --help of `app` (the root: the common uses first, then verbs and options, one line each,
// fitting 80 columns and 24 lines; a verb: its usage and description). For App::formatter_fn.
std::string format_help(const CLI::App* app, std::string name, CLI::AppFormatMode mode);

// The values an option accepts when it checks them against a set (CLI::IsMember), in order;
// empty for any other option.
std::vector<std::string> option_choices(const CLI::Option& option);

// The message for a failed parse of `app`'s command line, one line or two, without the
// "dlanalyze: " prefix: an unknown option with the nearest known one, a value not among an
// option's choices with all of them, an extra argument with what was probably meant.
std::string usage_error(const CLI::App& app, const CLI::ParseError& error);

// Levenshtein distance; for suggestions.
size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace dla
