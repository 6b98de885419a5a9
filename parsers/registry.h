// The table of input formats (bloaty's data_sources[], Perfetto's importer registry). Adding a
// format = one parser file and one line in registry.cpp.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "parsers/parser.h"

namespace dla {

const std::vector<std::unique_ptr<Parser>>& all_parsers();

// The parser named `name`, or nullptr.
const Parser* find_parser(std::string_view name);

// Reads one input into its snapshots, one per dump it holds, in input order: rejects empty and
// binary input with a one-line dla::Error, picks the parser (options.format, else the most
// confident probe) and parses.
std::vector<Snapshot> read_snapshots(const Input& input, const ParseOptions& options = {});

// The last dump of the input (the state a plain run analyses); when the input holds several, a
// warning says so and where the analysed one starts.
Snapshot read_snapshot(const Input& input, const ParseOptions& options = {});
inline Snapshot read_snapshot(const Input& input, std::string_view format) {
  return read_snapshot(input, ParseOptions{std::string(format), {}});
}

}  // namespace dla
