#include "parsers/go_profile.h"

#include <charconv>

#include <fmt/format.h>

#include "graph/resolve_go.h"
#include "parsers/line_reader.h"

namespace dla {

namespace {

constexpr std::string_view kProfileHeader = "goroutine profile: total ";
constexpr std::string_view kLeakHeader = "goroutineleak profile: total ";

std::optional<int64_t> leading_int(std::string_view text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end == text.data()) return std::nullopt;
  return value;
}

// Splits a line at runs of tabs (tabwriter pads the function column with them).
std::vector<std::string_view> tab_fields(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && line[i] == '\t') ++i;
    size_t end = line.find('\t', i);
    if (end == std::string_view::npos) end = line.size();
    if (end > i) out.push_back(line.substr(i, end - i));
    i = end;
  }
  return out;
}

class GoProfileReader {
 public:
  GoProfileReader(const Input& input, SnapshotBuilder& out) : in_(input), out_(out) {}

  void run() {
    Snapshot& s = out_.snapshot();
    s.task_noun = "goroutine";
    s.family = RuntimeFamily::kGo;
    LineReader lines(in_.bytes);
    std::string_view line;
    uint64_t total = 0;
    while (lines.next(line)) {
      line_ = lines.line_number();
      if (starts_with(line, kProfileHeader) || starts_with(line, kLeakHeader)) {
        leak_ = starts_with(line, kLeakHeader);
        std::string_view number = line.substr(leak_ ? kLeakHeader.size() : kProfileHeader.size());
        declared_total_ = leading_int(number).value_or(-1);
        continue;
      }
      if (starts_with(line, "#\t")) {
        add_frame(line.substr(2));
        continue;
      }
      if (starts_with(line, "# labels: ")) continue;
      size_t at = line.find(" @ ");
      if (at != std::string_view::npos) {
        if (auto count = leading_int(line.substr(0, at)); count && *count > 0) {
          begin_record(static_cast<uint32_t>(*count));
          total += static_cast<uint64_t>(*count);
        }
      }
    }
    finish_record();
    if (s.tasks.empty()) {
      throw Error(fmt::format("{}: no record found: not a Go goroutine profile", in_.name));
    }
    if (declared_total_ >= 0 && static_cast<uint64_t>(declared_total_) != total) {
      out_.warn(fmt::format("{}:1", in_.name),
                fmt::format("the profile says {} goroutines but its records count {}: truncated; "
                            "results are partial",
                            declared_total_, total));
      out_.set_damaged();
    }
  }

 private:
  void begin_record(uint32_t count) {
    finish_record();
    task_ = out_.begin_task(fmt::format("@{}", ++records_), line_);
    out_.task(task_).count = count;
  }

  // "0x47cd24\tsync.(*Mutex).lockSlow+0x164\t/usr/lib/go-1.19/src/sync/mutex.go:171"
  void add_frame(std::string_view body) {
    if (task_ == kNone) return;
    auto fields = tab_fields(body);
    if (fields.size() < 3) return;
    Frame f;
    std::string_view function = fields[1];
    if (size_t plus = function.rfind("+0x"); plus != std::string_view::npos) {
      function = function.substr(0, plus);
    }
    f.function = out_.intern(function);
    std::string_view location = fields[2];
    size_t colon = location.rfind(':');
    if (colon != std::string_view::npos) {
      f.line = static_cast<int32_t>(leading_int(location.substr(colon + 1)).value_or(0));
      location = location.substr(0, colon);
    }
    f.file = out_.intern(location);
    f.pc = parse_hex(fields[0]).value_or(0);
    out_.add_frame(f);
  }

  void finish_record() {
    if (task_ == kNone) return;
    Task& t = out_.task(task_);
    const Snapshot& s = out_.snapshot();
    uint32_t end = t.first_frame + t.frame_count;
    if (uint32_t f = go::first_program_frame(s, t.first_frame, end);
        f != end && t.app_frame == kNone) {
      t.app_frame = f - t.first_frame;
      t.name = s.frames[f].function;
    }
    // No status in this format: the frames alone say what a record waits for.
    std::optional<go::GoWait> wait = go::classify_wait_by_frames(s, t);
    if (leak_) {
      // goroutineleak: the runtime proved that nothing can wake these goroutines.
      if (!wait) wait = go::GoWait{};
      wait->never_wakes = "leaked";
      if (wait->frame == kNone && t.frame_count > 0) wait->frame = t.first_frame;
    }
    if (wait && wait->frame != kNone) {
      WaitEdge w;
      w.task = task_;
      w.resource = out_.unknown_resource(wait->kind, wait->type);
      w.evidence = Evidence::kArgument;
      w.frame = wait->frame;
      w.app_frame = t.app_frame == kNone ? kNone : t.first_frame + t.app_frame;
      if (!wait->never_wakes.empty()) w.never_wakes = out_.intern(wait->never_wakes);
      w.shared = wait->shared;
      if (wait->writers_first) out_.snapshot().resources[w.resource].writers_first = true;
      out_.add_wait(w);
      if (t.state == kNoString) t.state = out_.intern(wait->state_words);
    }
    task_ = kNone;
  }

  const Input& in_;
  SnapshotBuilder& out_;
  uint32_t line_ = 0;
  uint32_t records_ = 0;
  TaskIndex task_ = kNone;
  int64_t declared_total_ = -1;
  bool leak_ = false;
};

class GoProfileParser : public Parser {
 public:
  std::string_view name() const override { return "go-debug1"; }
  std::string_view description() const override {
    return "Go goroutine profile: pprof goroutine?debug=1, goroutineleak?debug=1 (Go 1.26)";
  }
  int probe(std::string_view prefix) const override {
    LineReader lines(prefix);
    std::string_view line;
    while (lines.next(line) && lines.line_number() < 50) {
      if (starts_with(line, kProfileHeader) || starts_with(line, kLeakHeader)) return 100;
    }
    return 0;
  }
  void parse(const Input& input, const ParseOptions& /*options*/,
             SnapshotBuilder& out) const override {
    GoProfileReader(input, out).run();
  }
};

}  // namespace

std::unique_ptr<Parser> make_go_profile_parser() {
  return std::make_unique<GoProfileParser>();
}

}  // namespace dla
