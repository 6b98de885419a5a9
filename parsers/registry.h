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

// Reads one input into a snapshot: rejects empty and binary input with a one-line dla::Error,
// picks the parser (`forced_format`, else the most confident probe) and parses.
Snapshot read_snapshot(const Input& input, std::string_view forced_format = {});

}  // namespace dla
