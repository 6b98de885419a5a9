// Helpers shared by the tests: load a captured dump from testdata/ through the same path the CLI
// takes (memory-mapped file → registry → parser), and describe findings in plain strings.
#pragma once

#include <string>
#include <vector>

#include "cli/input_file.h"
#include "graph/analysis.h"
#include "parsers/registry.h"

namespace dla::test {

inline std::string testdata(const std::string& relative) {
  return std::string(DLA_TESTDATA) + "/" + relative;
}

inline Snapshot load(const std::string& relative, std::string_view format = {}) {
  std::string path = testdata(relative);
  InputFile file(path);
  return read_snapshot({path, file.bytes()}, format);
}

inline Snapshot parse_text(std::string_view text, std::string_view format = {}) {
  return read_snapshot({"test.txt", text}, format);
}

inline std::string id_of(const Snapshot& s, TaskIndex t) {
  return std::string(s.str(s.tasks[t].id));
}

// The frame as "function:line", or "" for none.
inline std::string frame_at(const Snapshot& s, uint32_t frame) {
  if (frame == kNone) return "";
  const Frame& f = s.frames[frame];
  return std::string(s.str(f.function)) + ":" + std::to_string(f.line);
}

}  // namespace dla::test
