#include "render/report_diagnosis.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "render/describe.h"
#include "render/escape.h"
#include "render/report_advice.h"

namespace dla {

namespace {

using Marks = std::map<std::string, std::map<int32_t, char>>;  // file → line → '>' or '*'

void mark_line(const Snapshot& s, Marks& lines, uint32_t f, int32_t line, char mark) {
  const Frame& frame_ = s.frames[f];
  if (line == 0) line = frame_.line;
  if (frame_.file == kNoString || line <= 0) return;
  char& m = lines[std::string(s.str(frame_.file))][line];
  if (m != '>') m = mark;
}

// The source around the marked lines, two lines of context, nearby lines in one excerpt.
std::string excerpts(const Marks& lines, SourceFiles* sources) {
  std::string out;
  if (sources == nullptr) return out;
  for (const auto& [file, marked] : lines) {
    const SourceText* source = sources->get(file);
    if (source == nullptr) {
      out += fmt::format(
          "\nSource of {} not readable here (`--source-root` says where it "
          "is).\n",
          md_code(file));
      continue;
    }
    const std::vector<std::string_view>* text = &source->lines;
    constexpr int32_t kContext = 2;
    std::vector<std::pair<int32_t, int32_t>> windows;
    for (const auto& [line, mark] : marked) {
      int32_t from = std::max(1, line - kContext);
      int32_t to = std::min<int32_t>(static_cast<int32_t>(text->size()), line + kContext);
      if (from > to) continue;
      if (!windows.empty() && from <= windows.back().second + 3) {
        windows.back().second = std::max(windows.back().second, to);
      } else {
        windows.emplace_back(from, to);
      }
    }
    if (windows.empty()) continue;
    std::string body;
    for (size_t i = 0; i < windows.size(); ++i) {
      if (i > 0) body += "     …\n";
      for (int32_t n = windows[i].first; n <= windows[i].second; ++n) {
        auto it = marked.find(n);
        std::string line =
            fmt::format("{} {:>4}  {}", it == marked.end() ? ' ' : it->second, n, (*text)[n - 1]);
        while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
        body += line + "\n";
      }
    }
    Language l = language_of_file(file);
    const char* info = l == Language::kGo     ? "go"
                       : l == Language::kJava ? "java"
                       : l == Language::kC    ? "c"
                       : l == Language::kCpp  ? "cpp"
                                              : "text";
    out += fmt::format("\n{}:\n\n", md_code(file));
    out += md_fence(body, info);
  }
  return out;
}

}  // namespace

std::string diagnose_task(const Snapshot& s, TaskIndex t, uint32_t wait,
                          const std::vector<uint32_t>& holds, SourceFiles* sources) {
  const Task& task = s.tasks[t];
  uint32_t start = task.first_frame + (task.app_frame == kNone ? 0 : task.app_frame);
  std::map<uint32_t, std::vector<std::string>> marks;  // frame → what happens there
  Marks lines;
  if (wait != kNone) {
    const WaitEdge& w = s.waits[wait];
    uint32_t at = w.app_frame != kNone ? w.app_frame : w.frame;
    // A wait the dump records without a stack (a deadlock section alone) has no frame.
    if (at != kNone) {
      start = std::min(start, at);
      std::string inner = w.frame != kNone && w.frame != at
                              ? fmt::format(" (in {})", s.str(s.frames[w.frame].function))
                              : "";
      marks[at].push_back(fmt::format("← waits for {}{}", lock_name(s, w.resource), inner));
      mark_line(s, lines, at, 0, '>');
    }
  }
  std::vector<std::string> unplaced;
  for (uint32_t h : holds) {
    const HoldEdge& hold = s.holds[h];
    if (hold.frame == kNone) {
      unplaced.push_back(md_code(lock_name(s, hold.resource)));
      continue;
    }
    std::string line = hold.line != 0 ? fmt::format(" (taken at line {})", hold.line) : "";
    marks[hold.frame].push_back(fmt::format("← holds {}{}", lock_name(s, hold.resource), line));
    mark_line(s, lines, hold.frame, hold.line, '*');
  }
  // One frame a line, from the application frame outwards; what happens there indented below.
  constexpr uint32_t kMaxFrames = 12;
  std::string stack;
  uint32_t end = task.first_frame + task.frame_count;
  for (uint32_t f = start; f < end && f < start + kMaxFrames; ++f) {
    std::string place = short_place(s, f);
    stack += fmt::format("{}{}\n", s.str(s.frames[f].function), place.empty() ? "" : "  " + place);
    for (const std::string& m : marks[f]) stack += "    " + m + "\n";
  }
  if (end > start + kMaxFrames)
    stack += fmt::format("… {} more frames\n", end - start - kMaxFrames);
  if (task.created_by != kNoString) stack += fmt::format("created by {}\n", s.str(task.created_by));
  if (start >= end) stack += "(no stack in the dump)\n";
  std::string out = md_fence(stack, "text");
  if (!unplaced.empty()) {
    std::string list;
    for (size_t i = 0; i < unplaced.size(); ++i) list += (i ? ", " : "") + unplaced[i];
    out += fmt::format("\nAlso holds {} (the dump does not record where it was taken).\n", list);
  }
  return out + excerpts(lines, sources);
}

}  // namespace dla
