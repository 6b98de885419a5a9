#include "parsers/go_traceback.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstring>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include <fmt/format.h>

#include "graph/resolve_go.h"
#include "parsers/line_reader.h"
#include "parsers/log_prefix.h"

namespace dla {

namespace {

using Kind = GoLine::Kind;

// A non-negative decimal of at most 18 digits (goroutine ids, line numbers, minutes).
std::optional<int64_t> parse_int(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

// "goroutine 18 [semacquire, 5 minutes]:" and, since Go 1.22 in crashes,
// "goroutine 18 gp=0xc000007a00 m=nil [semacquire]:".
bool tokenize_header(std::string_view line, GoLine& out) {
  constexpr std::string_view kPrefix = "goroutine ";
  if (!starts_with(line, kPrefix) || line.size() < 14 || line.substr(line.size() - 2) != "]:") {
    return false;
  }
  std::string_view rest = line.substr(kPrefix.size());
  size_t space = rest.find(' ');
  auto id = parse_int(rest.substr(0, space));
  size_t open = rest.find('[');
  if (!id || open == std::string_view::npos) return false;
  out.kind = Kind::kHeader;
  out.number = *id;
  out.text = rest.substr(0, space);
  std::string_view fields = rest.substr(open + 1, rest.size() - open - 3);
  // "status[ (scan)], N minutes, locked to thread, synctest bubble N"
  bool first = true;
  while (!fields.empty()) {
    size_t comma = fields.find(", ");
    std::string_view item = fields.substr(0, comma);
    if (first) {
      out.state = item;
      if (out.state.ends_with(" (scan)")) out.state.remove_suffix(7);
      first = false;
    } else if (item.ends_with(" minutes")) {
      out.minutes = parse_int(item.substr(0, item.size() - 8));
    } else if (item == "locked to thread") {
      out.locked_to_thread = true;
    }
    if (comma == std::string_view::npos) break;
    fields.remove_prefix(comma + 2);
  }
  return true;
}

// "pkg.(*T).m(0x1, {0x2, 0x3}, ...)": the argument list is the last balanced "(…)".
bool read_call(std::string_view line, std::string_view& function, std::string_view& args) {
  if (line.empty() || line.back() != ')') return false;
  int depth = 0;
  for (size_t i = line.size(); i-- > 0;) {
    if (line[i] == ')') ++depth;
    if (line[i] == '(' && --depth == 0) {
      if (i == 0) return false;
      function = line.substr(0, i);
      args = line.substr(i + 1, line.size() - i - 2);
      // A log line that happens to end in ')' has spaces before it; a function name has none.
      return std::memchr(function.data(), ' ', function.size()) == nullptr;
    }
  }
  return false;
}

bool tokenize_call(std::string_view line, GoLine& out) {
  if (!read_call(line, out.text, out.detail)) return false;
  out.kind = Kind::kCall;
  return true;
}

// The messages with which the runtime declares that the goroutines it lists can never run again.
struct DeadlockMessage {
  Kind kind;              // the line that carries it: "fatal error: …" or "panic: …"
  std::string_view text;  // the message after "fatal error: " / "panic: "
  bool prefix;            // the message starts with `text` (the rest names the case)
  std::string_view source;
};
constexpr std::array kDeadlockMessages = {
    DeadlockMessage{Kind::kFatal, "all goroutines are asleep - deadlock!", false,
                    "runtime/proc.go checkdead (every Go release)"},
    // "deadlock: main bubble goroutine has exited but blocked goroutines remain", "deadlock: all
    // goroutines in bubble are blocked": a synctest bubble's blocked goroutines.
    DeadlockMessage{Kind::kPanic, "deadlock: ", true, "Go 1.25 testing/synctest"},
};

// GOTRACEBACK=crash: the line the crashing M prints before relaying the signal to the next M
// (runtime/signal_unix.go, sighandler), which then prints "SIGQUIT: quit", its PC and registers.
constexpr std::string_view kCrashRelay = "-----";

// "SIGQUIT: quit": the runtime's first line when a signal makes it dump every goroutine.
bool is_signal_line(std::string_view line) {
  if (!starts_with(line, "SIG")) return false;
  size_t colon = line.find(": ");
  if (colon == std::string_view::npos || colon < 4) return false;
  for (char c : line.substr(3, colon - 3)) {
    if (c < 'A' || c > 'Z') return false;
  }
  return true;
}

// "\t/path/file.go:171 +0x165", "\t/path/file.go:90", with " fp=… sp=… pc=…" at system level;
// Go 1.3 used four spaces or "\t" alike. Half the lines of a dump: written as plain loops.
bool read_location(std::string_view line, std::string_view& file, int64_t& number) {
  const char* p = line.data();
  const char* end = p + line.size();
  while (p != end && (*p == '\t' || *p == ' ')) ++p;
  if (p == line.data() || p == end) return false;  // must be indented, and not blank
  const auto* space = static_cast<const char*>(std::memchr(p, ' ', static_cast<size_t>(end - p)));
  const char* token_end = space != nullptr ? space : end;
  const char* digits = token_end;
  while (digits != p && digits[-1] >= '0' && digits[-1] <= '9') --digits;
  if (digits == token_end || token_end - digits > 18 || digits == p || digits[-1] != ':') {
    return false;
  }
  number = 0;
  for (const char* d = digits; d != token_end; ++d) number = number * 10 + (*d - '0');
  file = std::string_view(p, static_cast<size_t>(digits - 1 - p));
  return true;
}

bool tokenize_location(std::string_view line, GoLine& out) {
  if (!read_location(line, out.text, out.number)) return false;
  out.kind = Kind::kLocation;
  return true;
}

}  // namespace

bool declares_every_waiter_stuck(const GoLine& message) {
  for (const DeadlockMessage& row : kDeadlockMessages) {
    if (row.kind == message.kind &&
        (row.prefix ? message.text.starts_with(row.text) : message.text == row.text)) {
      return true;
    }
  }
  return false;
}

GoLine tokenize_go_line(std::string_view line) {
  GoLine out;
  // Dispatch on the first byte: most lines are locations (indented) or calls, and only the
  // indented can be blank.
  if (line.empty()) {
    out.kind = Kind::kBlank;
    return out;
  }
  if (line[0] == '\t' || line[0] == ' ') {
    if (!tokenize_location(line, out) && trim(line).empty()) out.kind = Kind::kBlank;
    return out;
  }
  if (line[0] == 'g' && tokenize_header(line, out)) return out;
  if (starts_with(line, "created by ")) {
    out.kind = Kind::kCreatedBy;
    std::string_view creator = line.substr(11);
    out.text = creator.substr(0, creator.find(" in goroutine "));
    return out;
  }
  if (starts_with(line, "...") && line.ends_with("elided...")) {
    out.kind = Kind::kElided;
    return out;
  }
  if (starts_with(line, "fatal error: ")) {
    out.kind = Kind::kFatal;
    out.text = line.substr(13);
    return out;
  }
  if (starts_with(line, "panic: ")) {
    out.kind = Kind::kPanic;
    out.text = line.substr(7);
    return out;
  }
  // runtime/traceback.go printAncestorTraceback: "[originating from goroutine ", id, "]:".
  constexpr std::string_view kOrigin = "[originating from goroutine ";
  if (line[0] == '[' && starts_with(line, kOrigin) && line.ends_with("]:")) {
    std::string_view id = line.substr(kOrigin.size(), line.size() - kOrigin.size() - 2);
    if (parse_int(id)) {
      out.kind = Kind::kAncestor;
      out.text = id;
      out.number = *parse_int(id);
      return out;
    }
  }
  if (line == "runtime stack:") {
    out.kind = Kind::kRuntimeStack;
    return out;
  }
  if (is_signal_line(line)) {
    out.kind = Kind::kSignal;
    out.text = line.substr(0, line.find(':'));
    return out;
  }
  tokenize_call(line, out);
  return out;
}

namespace {

// The log prefix in front of the first goroutine header within the first lines, if the dump
// sits inside a log ("2026-11-24T01:02:03.5Z stderr F goroutine 1 [running]:").
LogPrefix detect_prefix(std::string_view text) {
  LineReader lines(text);
  std::string_view line;
  while (lines.next(line) && lines.line_number() < 2000) {
    for (size_t at = line.find("goroutine "); at != std::string_view::npos;
         at = line.find("goroutine ", at + 1)) {
      if (tokenize_go_line(line.substr(at)).kind == GoLine::Kind::kHeader) {
        return LogPrefix(line, at);
      }
    }
  }
  return {};
}

class GoDumpReader {
 public:
  GoDumpReader(const Input& input, SnapshotBuilder& out) : in_(input), out_(out) {}

  // Reads `in_` as one piece of a dump split at goroutine headers (see SplitParse): no log
  // prefix, and whatever would make the piece read differently from the same lines inside the
  // whole dump is noted (plain() false) instead of relied on.
  // `room_for_bytes`: the whole dump's size for the first piece, into which the others go.
  void read_as_piece(size_t room_for_bytes) {
    piece_ = true;
    room_for_bytes_ = room_for_bytes;
  }
  bool plain() const { return plain_ && out_.snapshot().warnings.empty(); }
  uint32_t lines_read() const { return line_; }

  void run() {
    out_.snapshot().task_noun = "goroutine";
    out_.snapshot().family = RuntimeFamily::kGo;
    out_.snapshot().decode_arguments = go::decode_arguments;
    LogPrefix prefix = piece_ ? LogPrefix() : detect_prefix(in_.bytes);
    if (!prefix.empty()) {
      out_.warn(in_.name, fmt::format("every line starts with a log prefix like '{}': stripped",
                                      prefix.text()));
    }
    // A goroutine takes about 400 bytes of a debug=2 dump, a frame about 100: room for all of
    // them up front instead of copying the vectors as they double (capacity costs no memory
    // until it is written). A string id for each frame's arguments and each goroutine's id.
    size_t expected = std::min<size_t>(std::max(in_.bytes.size(), room_for_bytes_),
                                       size_t{1} << 28);  // a log may be huge
    out_.snapshot().tasks.reserve(expected / 256);
    out_.snapshot().frames.reserve(expected / 64);
    out_.snapshot().strings.reserve(expected / 64);
    LineReader lines(in_.bytes);
    std::string_view line;
    while (lines.next(line)) {
      line_ = lines.line_number();
      std::string_view body = prefix.strip(line);
      // The two lines of every frame, nine in ten of a dump's lines, read without a GoLine (its
      // initialisation alone cost a third of tokenize_go_line): what tokenize_go_line would
      // say of them, sooner.
      if (!body.empty() && (body[0] == '\t' || body[0] == ' ')) {
        std::string_view file;
        int64_t number = 0;
        if (read_location(body, file, number)) location(file, number);
        continue;  // a location, or an indented line that means nothing here
      }
      if (!body.empty() && body.back() == ')' && !starts_with(body, "created by ")) {
        std::string_view function, args;
        if (read_call(body, function, args)) {
          if (task_ != kNone && !in_system_stack_) {
            call_function_ = function;
            call_args_ = args;
            have_call_ = true;
          }
          continue;
        }
      }
      if (body == kCrashRelay) {
        after_crash_relay_ = true;
        plain_ = false;
        continue;
      }
      GoLine tok = tokenize_go_line(body);
      if (!body.empty()) after_crash_relay_ = after_crash_relay_ && tok.kind == Kind::kSignal;
      switch (tok.kind) {
        case Kind::kHeader:
          // A goroutine seen twice: the input holds another dump from here (runtime.Stack
          // output, then a crash or SIGQUIT dump of the same process).
          if (tok.number != 0 && !first_sight(tok.number)) {
            next_dump(dump_start_ != 0 ? dump_start_ : line_);
          }
          begin_task(tok);
          break;
        case Kind::kSignal:
          plain_ = false;
          // After "-----" the crashing runtime relays the signal to its next M, which prints
          // its own goroutine 0 and registers: the same dump goes on.
          if (!after_crash_relay_ && (!out_.snapshot().tasks.empty() || task_ != kNone)) {
            next_dump(line_);
          }
          break;
        case Kind::kCall:
          if (task_ != kNone && !in_system_stack_) {
            call_function_ = tok.text;
            call_args_ = tok.detail;
            have_call_ = true;
          }
          break;
        case Kind::kLocation:
          location(tok.text, tok.number);
          break;
        case Kind::kCreatedBy:
          if (ancestor_) {
            out_.snapshot().ancestors.back().created_by = out_.intern(tok.text);
          } else if (task_ != kNone) {
            out_.task(task_).created_by = out_.intern(tok.text);
            after_created_by_ = true;
          }
          have_call_ = false;
          break;
        case Kind::kAncestor:
          // The creation stack of an ancestor: its frames go apart from the live stack's.
          if (task_ != kNone && !in_system_stack_) {
            Ancestor a;
            a.task = task_;
            a.id = out_.intern(tok.text);
            a.first_frame = static_cast<uint32_t>(out_.snapshot().ancestor_frames.size());
            out_.snapshot().ancestors.push_back(a);
            ancestor_ = true;
          }
          have_call_ = false;
          after_created_by_ = false;
          break;
        case Kind::kRuntimeStack:
          in_system_stack_ = true;
          break;
        case Kind::kFatal:
        case Kind::kPanic:
          dump_message(declares_every_waiter_stuck(tok));
          break;
        default:
          break;
      }
    }
    if (task_ != kNone && have_call_) {
      // A call line with no location after it: the input was cut inside this goroutine.
      out_.warn(where(), fmt::format("input ends inside goroutine {}: truncated; results are "
                                     "partial",
                                     out_.snapshot().str(out_.task(task_).id)));
      out_.set_damaged();
    }
    // A "created by" whose location line never came: serially, the next piece's first location
    // would be taken for it.
    if (after_created_by_) plain_ = false;
    finish_task();
    if (out_.snapshot().tasks.empty()) {
      throw Error(fmt::format("{}: no goroutine found: not a Go traceback", in_.name));
    }
    // A message after the goroutines that no second dump followed belongs to this one.
    if (all_asleep_ || next_all_asleep_) declare_all_asleep();
  }

 private:
  std::string where() const { return fmt::format("{}:{}", in_.name, line_); }

  // True the first time goroutine `id` shows in the current dump. Ids are small and dense
  // (the runtime counts up from 1), so a bit per id; huge ids go to a set.
  bool first_sight(int64_t id) {
    if (id < 0 || id >= kDenseIds) return seen_sparse_.insert(id).second;
    auto index = static_cast<size_t>(id);
    if (index / 64 >= seen_.size()) seen_.resize(std::max(index / 64 + 1, seen_.size() * 2));
    uint64_t bit = uint64_t{1} << (index % 64);
    bool first = (seen_[index / 64] & bit) == 0;
    seen_[index / 64] |= bit;
    return first;
  }

  // "fatal error: …", "panic: …": a dump's opening message. After goroutines, it opens the
  // next dump (which a repeated goroutine id then confirms); `asleep` says that the runtime
  // declared every goroutine of that dump blocked for good.
  void dump_message(bool asleep) {
    plain_ = false;
    if (out_.snapshot().tasks.empty() && task_ == kNone) {
      all_asleep_ = all_asleep_ || asleep;
      return;
    }
    if (dump_start_ == 0) dump_start_ = line_;
    next_all_asleep_ = next_all_asleep_ || asleep;
  }

  // The dump read so far is complete; the next starts at `first_line`.
  void next_dump(uint32_t first_line) {
    plain_ = false;
    finish_task();
    if (all_asleep_) declare_all_asleep();
    out_.next_snapshot(first_line);
    all_asleep_ = next_all_asleep_;
    next_all_asleep_ = false;
    dump_start_ = 0;
    zero_kept_ = false;
    in_system_stack_ = false;
    have_call_ = false;
    std::fill(seen_.begin(), seen_.end(), 0);
    seen_sparse_.clear();
  }

  void begin_task(const GoLine& tok) {
    finish_task();
    in_system_stack_ = false;
    have_call_ = false;
    // goroutine 0 is an M's own stack (the scheduler's, or C code's entered through cgo), not a
    // goroutine: kept only while it is the first stack of its dump, and taken back when a
    // goroutine follows. A crash inside C code may print nothing else.
    if (tok.number == 0) {
      plain_ = false;
      task_ = kNone;
      if (!out_.snapshot().tasks.empty()) return;
      zero_kept_ = true;
    } else if (zero_kept_) {
      out_.drop_last_task();
      zero_kept_ = false;
    }
    task_ = out_.begin_task(tok.text, line_);
    Task& t = out_.task(task_);
    t.state = out_.intern(tok.state);
    if (tok.minutes) t.parked_minutes = static_cast<double>(*tok.minutes);
  }

  // A location line: where the pending call is, or where the goroutine was created.
  void location(std::string_view file, int64_t line) {
    if (after_created_by_ && task_ != kNone) {
      out_.task(task_).created_file = out_.intern(file);
      out_.task(task_).created_line = static_cast<int32_t>(line);
    }
    after_created_by_ = false;
    add_location(file, line);
  }

  void add_location(std::string_view file, int64_t line) {
    if (task_ == kNone || in_system_stack_ || !have_call_) return;
    have_call_ = false;
    if (ancestor_) {
      Frame f;
      f.function = out_.intern(call_function_);
      f.args = out_.store(call_args_);
      f.file = out_.intern(file);
      f.line = static_cast<int32_t>(line);
      out_.snapshot().ancestor_frames.push_back(f);
      out_.snapshot().ancestors.back().frame_count++;
      return;
    }
    Frame f;
    uint32_t depth = out_.task(task_).frame_count;
    if (depth >= previous_.size()) previous_.resize(depth + 1);
    f.function = previous_[depth].function = intern_like(call_function_, previous_[depth].function);
    f.args = out_.store(call_args_);
    f.file = previous_[depth].file = intern_like(file, previous_[depth].file);
    f.line = static_cast<int32_t>(line);
    out_.add_frame(f);
  }

  void finish_task() {
    ancestor_ = false;
    if (task_ == kNone) return;
    Task& t = out_.task(task_);
    const Snapshot& s = out_.snapshot();
    for (uint32_t f = 0; f < t.frame_count; ++f) {
      if (!is_runtime_function(s.frames[t.first_frame + f].function)) {
        t.app_frame = f;
        break;
      }
    }
    if (auto wait = go::classify_wait(s, t)) {
      ResourceIndex r = wait->address ? out_.resource(wait->kind, *wait->address, wait->type)
                                      : out_.unknown_resource(wait->kind, wait->type);
      WaitEdge w;
      w.task = task_;
      w.resource = r;
      w.evidence = Evidence::kArgument;
      w.frame = wait->frame != kNone ? wait->frame : (t.frame_count > 0 ? t.first_frame : kNone);
      w.app_frame = t.app_frame == kNone ? kNone : t.first_frame + t.app_frame;
      if (!wait->never_wakes.empty()) w.never_wakes = out_.intern(wait->never_wakes);
      w.shared = wait->shared;
      if (wait->writers_first) out_.snapshot().resources[w.resource].writers_first = true;
      if (w.frame != kNone) out_.add_wait(w);
    }
    task_ = kNone;
  }

  // `text` interned, trying first the string the previous goroutine had at the same depth:
  // goroutines of one kind follow each other in a dump, and one comparison is cheaper than a
  // lookup.
  StrId intern_like(std::string_view text, StrId previous) {
    if (previous != kNoString && out_.snapshot().str(previous) == text) return previous;
    return out_.intern(text);
  }

  // go::is_runtime_frame, remembered per function: a big dump names a few hundred functions
  // in a million frames.
  bool is_runtime_function(StrId function) {
    if (function >= runtime_function_.size()) {
      runtime_function_.resize(std::max<size_t>(function + 1, runtime_function_.size() * 2), -1);
    }
    int8_t& known = runtime_function_[function];
    if (known < 0) known = go::is_runtime_frame(out_.snapshot().str(function)) ? 1 : 0;
    return known == 1;
  }

  // "fatal error: all goroutines are asleep - deadlock!": the runtime proved that no goroutine
  // can run again, so every waiting goroutine is stuck.
  void declare_all_asleep() {
    Snapshot& s = out_.snapshot();
    StrId reason = out_.intern("runtime-declared-deadlock");
    for (WaitEdge& w : s.waits) {
      if (w.never_wakes == kNoString) w.never_wakes = reason;
    }
  }

  static constexpr int64_t kDenseIds = int64_t{1} << 24;

  const Input& in_;
  SnapshotBuilder& out_;
  bool piece_ = false;
  size_t room_for_bytes_ = 0;
  bool plain_ = true;  // nothing read that carries state from one goroutine to the next
  uint32_t line_ = 0;
  TaskIndex task_ = kNone;
  std::string_view call_function_, call_args_;  // the call line awaiting its location line
  bool have_call_ = false;
  std::vector<int8_t> runtime_function_;  // by function StrId: 1 runtime's, 0 not, -1 unknown
  struct FrameNames {
    StrId function = kNoString, file = kNoString;
  };
  std::vector<FrameNames> previous_;  // by depth: the last goroutine's (ids survive a split)
  bool after_created_by_ = false;     // the next location line is where the goroutine was created
  bool ancestor_ = false;             // in an "[originating from goroutine N]:" block of task_
  bool after_crash_relay_ = false;  // "-----" seen: the next signal line is another M's, same dump
  bool in_system_stack_ = false;
  bool all_asleep_ = false;
  bool next_all_asleep_ = false;  // the message that opens the next dump declared it dead
  uint32_t dump_start_ = 0;       // line of that message; 0: none seen after goroutines
  bool zero_kept_ = false;        // the dump's one task so far is a goroutine 0
  std::vector<uint64_t> seen_;    // goroutine ids of the current dump, one bit each
  std::unordered_set<int64_t> seen_sparse_;
};

// --- A big dump read in pieces, one thread each.
//
// A debug=2 dump is goroutines one after the other, each opened by its header, and the reader's
// state at a header is the same whatever came before it: a piece that starts at a header reads
// its goroutines exactly as the whole dump's reader would, given its line numbers. The pieces are
// appended in order (SnapshotBuilder::append renumbers strings, tasks, frames and resources as
// one reader would have). Anything that carries state across goroutines (a log prefix, a second
// dump, goroutine 0, a crash's messages and signals, a warning) makes the split parse give up
// before it writes anything: the dump is then read whole.

// Where the pieces start: at most `pieces`, each at least `min_bytes`, each at a goroutine
// header after a blank line.
std::vector<size_t> piece_starts(std::string_view text, size_t pieces, size_t min_bytes) {
  constexpr std::string_view kBoundary = "\n\ngoroutine ";
  std::vector<size_t> starts{0};
  for (size_t k = 1; k < pieces; ++k) {
    size_t target = std::max(text.size() / pieces * k, starts.back() + min_bytes);
    for (size_t at = text.find(kBoundary, target); at != std::string_view::npos;
         at = text.find(kBoundary, at + 1)) {
      size_t begin = at + 2;
      size_t end = text.find('\n', begin);
      std::string_view line = text.substr(begin, end == std::string_view::npos ? end : end - begin);
      GoLine tok = tokenize_go_line(line);
      if (tok.kind == Kind::kHeader && tok.number != 0) {
        starts.push_back(begin);
        break;
      }
    }
    if (starts.size() != k + 1) break;  // no header after the target: fewer pieces
  }
  return starts;
}

struct Piece {
  Snapshot snapshot;
  bool plain = false;
  uint32_t lines = 0;
};

void read_piece(const std::string& name, std::string_view text, size_t room_for_bytes,
                Piece& piece) {
  try {
    SnapshotBuilder builder(piece.snapshot);
    const Input input{name, text};  // the reader keeps a reference: it must outlive it
    GoDumpReader reader(input, builder);
    reader.read_as_piece(room_for_bytes);
    reader.run();
    piece.plain = reader.plain();
    piece.lines = reader.lines_read();
  } catch (const std::exception&) {
    piece.plain = false;  // read whole, the dump says what is wrong with it
  }
}

// True when no goroutine id repeats across the pieces (within one, the reader saw it): a repeat
// is a second dump, which the whole reader splits off.
bool ids_unique(const std::vector<Piece>& pieces) {
  std::vector<uint64_t> seen;
  std::unordered_set<int64_t> sparse;
  for (const Piece& piece : pieces) {
    for (const Task& t : piece.snapshot.tasks) {
      auto id = parse_int(piece.snapshot.str(t.id));
      if (!id) return false;
      if (*id >= (int64_t{1} << 24)) {
        if (!sparse.insert(*id).second) return false;
        continue;
      }
      auto index = static_cast<size_t>(*id);
      if (index / 64 >= seen.size()) seen.resize(index / 64 + 1);
      uint64_t bit = uint64_t{1} << (index % 64);
      if ((seen[index / 64] & bit) != 0) return false;
      seen[index / 64] |= bit;
    }
  }
  return true;
}

// Dumps in flight in this process (dlanalyze diff reads its inputs on a thread each): the cores
// are shared among them.
std::atomic<unsigned> dumps_in_flight{0};

class GoTracebackParser : public Parser {
 public:
  std::string_view name() const override { return "go-debug2"; }
  std::string_view description() const override {
    return "Go goroutine dump: pprof goroutine?debug=2, SIGQUIT/GOTRACEBACK crash, fatal "
           "deadlock, panic";
  }
  int probe(std::string_view prefix) const override {
    LogPrefix log = detect_prefix(prefix);
    LineReader lines(prefix);
    std::string_view line;
    int headers = 0, locations = 0;
    while (lines.next(line) && lines.line_number() < 400) {
      GoLine tok = tokenize_go_line(log.strip(line));
      if (tok.kind == Kind::kHeader) ++headers;
      if (tok.kind == Kind::kLocation && tok.text.ends_with(".go")) ++locations;
      if (headers > 0 && locations > 0) return 90;
    }
    return headers > 0 ? 50 : 0;
  }
  void parse(const Input& input, const ParseOptions& /*options*/,
             SnapshotBuilder& out) const override {
    constexpr size_t kMinPieceBytes = size_t{4}
                                      << 20;  // below this a thread costs more than it saves
    unsigned in_flight = ++dumps_in_flight;
    size_t pieces = std::max(1u, std::thread::hardware_concurrency()) / std::max(1u, in_flight);
    bool done = false;
    try {
      done = pieces > 1 &&
             read_go_traceback_in_pieces(input, out, std::min<size_t>(pieces, 8), kMinPieceBytes);
    } catch (...) {
      --dumps_in_flight;
      throw;
    }
    --dumps_in_flight;
    if (!done) GoDumpReader(input, out).run();
  }
};

}  // namespace

bool read_go_traceback_in_pieces(const Input& input, SnapshotBuilder& out, size_t pieces,
                                 size_t min_piece_bytes) {
  if (input.bytes.size() < 2 * std::max<size_t>(min_piece_bytes, 1) || pieces < 2) return false;
  if (!detect_prefix(input.bytes).empty()) return false;
  std::vector<size_t> starts =
      piece_starts(input.bytes, pieces, std::max<size_t>(min_piece_bytes, 1));
  if (starts.size() < 2) return false;
  std::vector<Piece> read(starts.size());
  std::vector<std::thread> threads;
  auto text_of = [&](size_t k) {
    size_t end = k + 1 < starts.size() ? starts[k + 1] : input.bytes.size();
    return input.bytes.substr(starts[k], end - starts[k]);
  };
  for (size_t k = 1; k < starts.size(); ++k) {
    threads.emplace_back(read_piece, std::cref(input.name), text_of(k), size_t{0},
                         std::ref(read[k]));
  }
  read_piece(input.name, text_of(0), input.bytes.size(), read[0]);
  for (std::thread& t : threads) t.join();
  for (const Piece& piece : read) {
    if (!piece.plain) return false;
  }
  if (!ids_unique(read)) return false;
  Snapshot& whole = out.snapshot();
  whole.task_noun = read[0].snapshot.task_noun;
  whole.family = read[0].snapshot.family;
  whole.decode_arguments = read[0].snapshot.decode_arguments;
  // The first piece becomes the whole (it reserved room for it); the others are appended.
  size_t tasks = 0, frames = 0, strings = 0;
  for (const Piece& piece : read) {
    tasks += piece.snapshot.tasks.size();
    frames += piece.snapshot.frames.size();
    strings += piece.snapshot.strings.size();
  }
  uint32_t line_offset = 0;
  for (Piece& piece : read) {
    out.append(std::move(piece.snapshot), line_offset);
    line_offset += piece.lines;
    if (&piece == &read[0]) {
      whole.tasks.reserve(tasks);
      whole.frames.reserve(frames);
      whole.strings.reserve(strings);
    }
  }
  return true;
}

std::unique_ptr<Parser> make_go_traceback_parser() {
  return std::make_unique<GoTracebackParser>();
}

}  // namespace dla
