// Helpers shared by the tests: load a captured dump from testdata/ through the same path the CLI
// takes (memory-mapped file → registry → parser), and describe findings in plain strings.
#pragma once

#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "cli/input_file.h"
#include "cli/pipeline.h"
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

// A captured dump through the whole pipeline, as the CLI runs it: the last dump of the file,
// holders inferred from the source under `source_roots`, analysed.
inline AnalyzedSnapshot analyze_file(const std::string& relative,
                                     std::vector<std::string> source_roots = {},
                                     ParseOptions parse = {}) {
  std::string path = testdata(relative);
  InputFile file(path);
  return analyze_input({path, file.bytes()}, {std::move(parse), std::move(source_roots)});
}

inline AnalyzedSnapshot analyze_text(std::string_view text,
                                     std::vector<std::string> source_roots = {}) {
  return analyze_input({"test.txt", text}, {{}, std::move(source_roots)});
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

// The whole file at `path`.
inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// A tab-separated table (expect.tsv, known_gaps.tsv, INDEX.tsv): its rows after the header line,
// each as its cells; empty lines and '#' comments are skipped.
inline std::vector<std::vector<std::string>> read_tsv(const std::string& path) {
  std::vector<std::vector<std::string>> rows;
  std::ifstream in(path);
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (header) {
      header = false;
      continue;
    }
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> cells;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, '\t')) cells.push_back(cell);
    rows.push_back(cells);
  }
  return rows;
}

// "a,b,c": the items joined by commas.
inline std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}

// The one wait of task `t`, or nullptr (a task waits for one thing at a time).
inline const WaitEdge* wait_of_task(const Snapshot& s, TaskIndex t) {
  const WaitEdge* found = nullptr;
  for (const WaitEdge& w : s.waits) {
    if (w.task != t) continue;
    REQUIRE(found == nullptr);
    found = &w;
  }
  return found;
}

// Holders of a resource as "task-id/evidence".
inline std::vector<std::string> holders_of(const Snapshot& s, ResourceIndex r) {
  std::vector<std::string> out;
  for (const HoldEdge& h : s.holds) {
    if (h.resource == r) out.push_back(id_of(s, h.task) + "/" + to_string(h.evidence));
  }
  return out;
}

// testdata/<relative>.xz unpacked into the build tree (DLA_UNPACK_DIR), once for every test
// process (ctest runs each test case in a process of its own) and again when the .xz is newer;
// its path. Holes stay holes: a Go core is ~800 MB of mostly unmapped address space, a few MB on
// disk (xz and GNU cp, both in every Debian). Unpacked under a temporary name, then renamed, so
// that test processes running at once never see half a file.
inline std::string unpack_xz(const std::string& relative) {
  namespace fs = std::filesystem;
  static std::map<std::string, std::string> done;
  if (auto it = done.find(relative); it != done.end()) return it->second;
  std::string source = testdata(relative + ".xz");
  fs::path dir = fs::path(DLA_UNPACK_DIR) / fs::path(relative).parent_path();
  fs::create_directories(dir);
  std::string out = (dir / fs::path(relative).filename()).string();
  std::error_code ec;
  if (!fs::exists(out, ec) || fs::last_write_time(out, ec) < fs::last_write_time(source, ec)) {
    std::string partial = out + ".partial." + std::to_string(getpid());
    std::string cmd = "xz -dc '" + source + "' | cp --sparse=always /dev/stdin '" + partial + "'";
    REQUIRE(std::system(cmd.c_str()) == 0);
    chmod(partial.c_str(), 0755);
    fs::rename(partial, out);
  }
  done.emplace(relative, out);
  return out;
}

// The shared objects and debug files the committed C/C++ cores mapped (testdata/sysroot-deb12),
// unpacked into the build tree once; the directory to pass as CoreOptions::sysroot, so that the
// cores unwind through the capturing machine's glibc whatever this machine runs.
inline std::string cores_sysroot() {
  static const std::string root = [] {
    std::ifstream manifest(testdata("sysroot-deb12/MANIFEST"));
    std::string line;
    int unpacked = 0;
    while (std::getline(manifest, line)) {
      if (!line.ends_with(".xz")) continue;
      unpack_xz("sysroot-deb12/" + line.substr(0, line.size() - 3));
      ++unpacked;
    }
    REQUIRE(unpacked > 0);
    return std::string(DLA_UNPACK_DIR) + "/sysroot-deb12";
  }();
  return root;
}

}  // namespace dla::test
