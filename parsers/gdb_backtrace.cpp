// The gdb/lldb/pstack/eu-stack reader: a state machine over gdb_tokenizer's tokens that writes each
// thread's frames to the model and notes what its own frames and owners.gdb lines say it waits for
// (graph/resolve_glibc's tables); gdb_backtrace_resolve.cpp resolves those waits across threads.
// Also the parser's probe.
#include "parsers/gdb_backtrace.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <deque>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <fmt/format.h>

#include "graph/resolve_glibc.h"
#include "parsers/gdb_backtrace_resolve.h"
#include "parsers/gdb_text.h"
#include "parsers/line_reader.h"

namespace dla {

using namespace gdb_text;

namespace {

using Kind = GdbLine::Kind;
using gdb_resolve::PendingWait;
using glibc::WaitOp;

// --- The reader --------------------------------------------------------------------------------
//
// States (panicparse's documented state machine, flattened: the tokens carry the shape):
//   kPreamble  before the first header (and after "[Inferior 1 (process N) detached]"): frames
//              are gdb's report of the selected frame ("#0  0x… in pthread_join ()" after
//              attaching to a core): kept aside, dropped at the first header, read as one
//              thread if no header ever comes (a plain "bt"). → kInBlock, kSkipping at a header.
//   kInBlock   from a header (gdb "Thread N (…):", "[Switching to thread N …]", lldb
//              "thread #N", eu-stack "TID n:") to the next: frames, bt full locals (skipped),
//              owners.gdb lines, wrapped continuations. The block is written to the model when
//              it ends (its owners lines follow its frames). → kInBlock, kSkipping, kPreamble.
//   kSkipping  a header whose id was seen before (a second dump pasted after the first): skipped
//              until the next header.
// Waits are resolved at the end, once every thread's LWP and pthread_t is known
// (gdb_backtrace_resolve.cpp).

struct Block {
  GdbThreadHeader header;
  uint32_t line = 0;
  std::vector<GdbFrame> frames;
  std::vector<GdbOwnerLine> owners;   // "owner:" lines
  std::optional<GdbOwnerLine> futex;  // "futex:" line
  uint32_t owner_line = 0;
  // What the thread's frames lack, said once per thread when it is written: frame numbers
  // skipped (a crash handler's elided frames, a paste that starts at #7) and frame lines whose
  // argument list never closes (a value gdb cut, a line the terminal cut).
  int64_t next_number = 0;  // the frame number expected next
  int64_t first_gap_from = -1, first_gap_to = -1;
  int gaps = 0;
  int cut_frames = 0;
  uint32_t note_line = 0;  // the first line with such a note
};

// Per interned function name: what the tables say, computed once.
struct FunctionFacts {
  bool known = false;
  bool runtime = false;
  const glibc::WaitFrameRow* wait = nullptr;
  glibc::LockArgRows args;
};

// Sort key of a gdb thread id: "2" → (0, 2), "1.2" → (1, 2); nullopt when not numeric.
std::optional<std::pair<uint64_t, uint64_t>> id_key(std::string_view id) {
  size_t dot = id.find('.');
  auto number = [](std::string_view s) -> std::optional<uint64_t> {
    uint64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
    return v;
  };
  if (dot == npos) {
    if (auto v = number(id)) return std::make_pair(uint64_t{0}, *v);
    return std::nullopt;
  }
  auto a = number(id.substr(0, dot));
  auto b = number(id.substr(dot + 1));
  if (!a || !b) return std::nullopt;
  return std::make_pair(*a, *b);
}

// A thread's pthread_t as a resource address: as printed when gdb printed it in hex, else (old
// gdb's decimal) in hex, so that a joiner's threadid= names the same resource.
std::string handle_text(const GdbThreadHeader& h) {
  if (starts_with(h.handle, "0x")) return std::string(h.handle);
  return h.handle_value ? hex_address(*h.handle_value) : std::string();
}

class GdbDumpReader {
 public:
  GdbDumpReader(const Input& in, SnapshotBuilder& out) : in_(in), out_(out) {}

  void run() {
    out_.snapshot().task_noun = "thread";
    out_.snapshot().family = RuntimeFamily::kNative;
    out_.snapshot().decode_arguments = decode_gdb_arguments;
    LineReader lines(in_.bytes);
    std::string_view line;
    while (lines.next(line)) {
      line_ = lines.line_number();
      read_line(line);
    }
    flush_pending(/*at_end=*/true);
    finish(/*last=*/true);
  }

 private:
  std::string where(uint32_t line) const { return fmt::format("{}:{}", in_.name, line); }

  void read_line(std::string_view line) {
    GdbLine tok = tokenize_gdb_line(line);
    if (tok.kind == Kind::kContinuation && pending_) {
      continue_pending(tok.text);
      return;
    }
    flush_pending(false);
    switch (tok.kind) {
      case Kind::kThreadHeader:
        start_block(tok.thread);
        break;
      case Kind::kFrame:
        pending_ = tok.frame;
        pending_line_ = line_;
        pending_text_ = line;
        break;
      case Kind::kInfoThreadRow:
        rows_.push_back(Block{tok.thread, line_, {}, {}, {}, 0});
        if (!tok.frame.function.empty()) rows_.back().frames.push_back(tok.frame);
        break;
      case Kind::kOwner:
      case Kind::kFutex:
        add_owner_line(tok);
        break;
      case Kind::kEnd:
        end_block();  // frames after this belong to no thread
        break;
      case Kind::kOther:
        read_other(line);
        break;
      case Kind::kBlank:
      case Kind::kLocal:
      case Kind::kContinuation:
      case Kind::kProcess:
        break;
    }
  }

  void read_other(std::string_view line) {
    // A line that starts like a frame but is not one: damage inside a thread block.
    if (line.size() > 1 && line[0] == '#' && is_digit(line[1]) && state_ == State::kInBlock) {
      out_.warn(where(line_), "unreadable frame line ignored");
      out_.set_damaged();
    }
    constexpr std::string_view kDebuginfo = "Missing separate debuginfos, use: debuginfo-install ";
    if (starts_with(line, kDebuginfo) && out_.snapshot().runtime.empty()) {
      std::string_view packages = line.substr(kDebuginfo.size());
      if (size_t glibc = packages.find("glibc-"); glibc != npos) {
        std::string_view package = packages.substr(glibc);
        out_.snapshot().runtime = std::string(package.substr(0, package.find(' ')));
      }
    }
  }

  // gdb wraps a long frame at the terminal width, continuing with four spaces:
  //   #2  0x… in __pthread_mutex_lock (mutex=0x555555558040 <m>)
  //       at ../nptl/pthread_mutex_lock.c:80
  void continue_pending(std::string_view text) {
    bool joins = !pending_->complete || starts_with(text, "at ") || starts_with(text, "from ");
    if (!joins) {
      // eu-stack -s prints the source line under the frame: "    /src/x.c:12".
      if (pending_->file.empty() && text.find(':') != npos) {
        GdbFrame location;
        read_gdb_location(trim(text), location);
        if (location.line > 0) {
          pending_->file = location.file;
          pending_->line = location.line;
        }
      }
      return;
    }
    std::string_view number = pending_->number;
    std::string& joined = joined_lines_.emplace_back(pending_text_);
    joined += ' ';
    joined += trim(text);
    pending_text_ = joined;
    GdbLine again = tokenize_gdb_line(joined);
    if (again.kind == Kind::kFrame) {
      pending_ = again.frame;
    } else {
      pending_->complete = true;  // keep what the first line said
    }
    pending_->number = number;
  }

  void flush_pending(bool at_end) {
    if (!pending_) return;
    GdbFrame frame = *pending_;
    pending_.reset();
    if (!frame.complete && at_end) {
      out_.warn(where(pending_line_),
                "input ends inside a frame's argument list: truncated; results are partial");
      out_.set_damaged();
    }
    add_frame(frame);
  }

  enum class State : uint8_t {
    kPreamble,  // before the first header, or after "[Inferior 1 (process N) detached]"
    kInBlock,   // reading block_
    kSkipping,  // a repeated thread block
  };

  void start_block(const GdbThreadHeader& header) {
    end_block();
    preamble_.frames.clear();
    saw_header_ = true;
    if (!seen_ids_.insert(header.id).second) {
      if (!header.switched) {
        // "thread apply all bt" printed again (a second dump pasted below the first, a script
        // that dumps twice): the input holds another dump from here.
        next_dump();
        seen_ids_.insert(header.id);
      } else {
        // A session's "thread N" revisiting a thread: its first backtrace is kept.
        if (repeats_++ == 0) first_repeat_line_ = line_;
        state_ = State::kSkipping;
        return;
      }
    }
    block_ = Block{header, line_, {}, {}, {}, 0};
    state_ = State::kInBlock;
  }

  // A block ends at the next header, at gdb's "[Inferior … detached]" or at the end of the input:
  // only then are its owners lines known.
  void end_block() {
    if (state_ == State::kInBlock) write_task(block_);
    state_ = State::kPreamble;
  }

  void add_frame(const GdbFrame& frame) {
    if (state_ == State::kSkipping) return;
    Block& b = state_ == State::kInBlock ? block_ : preamble_;
    if (state_ == State::kPreamble && b.frames.empty()) b.line = pending_line_;
    auto number = parse_decimal(frame.number);
    if (number && *number == 0 && !b.frames.empty()) {
      // A new backtrace of the same thread (a session's "where" after "thread N").
      b.frames.clear();
      b.next_number = 0;
      b.gaps = b.cut_frames = 0;
    } else if (number && *number < b.next_number) {
      return;  // a frame printed again ("frame 3", "up")
    } else if (number && *number > b.next_number) {
      if (b.gaps++ == 0) {
        b.first_gap_from = b.next_number;
        b.first_gap_to = *number - 1;
        if (b.note_line == 0) b.note_line = pending_line_;
      }
    }
    if (number) b.next_number = *number + 1;
    if (!frame.complete && b.cut_frames++ == 0 && b.note_line == 0) b.note_line = pending_line_;
    b.frames.push_back(frame);
  }

  // The one warning a thread gets for what its frames lack. Frames a crash handler or a paste
  // left out are not damage to the dump: what is there was read whole; a lock call among the
  // missing frames would not be seen, and the warning says so.
  void warn_missing_frames(const Block& b, std::string_view id) {
    if (b.gaps == 0 && b.cut_frames == 0) return;
    std::string what;
    if (b.gaps > 0) {
      what = b.first_gap_from == 0
                 ? fmt::format(
                       "its backtrace starts at frame #{} (the frames above it are not in "
                       "the input)",
                       b.first_gap_to + 1)
             : b.first_gap_from == b.first_gap_to
                 ? fmt::format("frame #{} is missing", b.first_gap_from)
                 : fmt::format("frames #{} to #{} are missing", b.first_gap_from, b.first_gap_to);
      if (b.gaps > 1) what += fmt::format(", and frames at {} more places", b.gaps - 1);
    }
    if (b.cut_frames > 0) {
      what += fmt::format("{}{} frame line{} cut short (argument list not closed)",
                          what.empty() ? "" : "; ", b.cut_frames, b.cut_frames == 1 ? "" : "s");
    }
    std::string whose = id == "?" ? std::string("the backtrace") : fmt::format("thread {}", id);
    out_.warn(where(b.note_line),
              fmt::format("{}: {}; a lock call in what is missing would not be seen", whose, what));
  }

  void add_owner_line(const GdbLine& tok) {
    if (state_ == State::kSkipping) return;
    if (state_ == State::kPreamble) {
      out_.warn(where(line_), "owners line outside any thread ignored");
      return;
    }
    if (tok.kind == Kind::kOwner) {
      block_.owners.push_back(tok.owner);
    } else {
      block_.futex = tok.owner;
    }
    block_.owner_line = line_;
  }

  // --- writing the model ----------------------------------------------------------------------

  const FunctionFacts& facts(StrId function) {
    if (function >= facts_.size()) facts_.resize(function + 1);
    FunctionFacts& f = facts_[function];
    if (!f.known) {
      std::string_view name = glibc::normalize_function(out_.snapshot().str(function));
      f.known = true;
      f.runtime = glibc::is_runtime_frame(name, {});
      f.wait = glibc::find_wait_frame(name);
      f.args = glibc::find_lock_args(name);
    }
    return f;
  }

  bool runtime_module(StrId module) {
    if (module == kNoString) return false;
    if (module >= module_runtime_.size()) module_runtime_.resize(module + 1, -1);
    int8_t& known = module_runtime_[module];
    if (known < 0) known = glibc::is_runtime_module(out_.snapshot().str(module)) ? 1 : 0;
    return known == 1;
  }

  bool is_runtime(const Frame& f) { return facts(f.function).runtime || runtime_module(f.module); }

  // The dump read so far is complete; the next starts at the current line.
  void next_dump() {
    finish(/*last=*/false);
    out_.next_snapshot(line_);
    reset();
    saw_header_ = true;
  }

  // The state of one dump. The per-function facts stay: the next dump's strings keep their ids.
  void reset() {
    state_ = State::kPreamble;
    block_ = Block{};
    preamble_ = Block{};
    saw_header_ = false;
    rows_.clear();
    task_of_id_.clear();
    seen_ids_.clear();
    repeats_ = 0;
    first_repeat_line_ = 0;
    read_.clear();
  }

  void finish(bool last) {
    if (repeats_ > 0) {
      out_.warn(where(first_repeat_line_),
                fmt::format("{} thread {} printed again from here (\"thread N\" revisited); the "
                            "first backtrace of each thread is used",
                            repeats_, repeats_ == 1 ? "block is" : "blocks are"));
    }
    if (last && state_ == State::kInBlock && block_.frames.empty() && block_.owners.empty() &&
        !block_.futex) {
      out_.warn(where(block_.line),
                fmt::format("input ends after the header of thread {}: truncated; results are "
                            "partial",
                            block_.header.id));
      out_.set_damaged();
    }
    end_block();
    // info threads rows: names for threads whose header has none (pstack, cores), and one-frame
    // threads for those without a backtrace (a gdb session that only ran "info threads").
    Snapshot& s = out_.snapshot();
    for (const Block& row : rows_) {
      auto it = task_of_id_.find(row.header.id);
      if (it == task_of_id_.end()) {
        if (seen_ids_.insert(row.header.id).second) write_task(row);
        continue;
      }
      Task& t = s.tasks[it->second];
      if (t.name == kNoString) t.name = out_.intern(row.header.name);
      if (!t.lwp) t.lwp = row.header.lwp;
      if (!read_.handles[it->second] && row.header.handle_value) {
        read_.handles[it->second] = row.header.handle_value;
        read_.handle_texts[it->second] = handle_text(row.header);
      }
    }
    if (!saw_header_ && s.tasks.empty() && !preamble_.frames.empty()) {
      // A plain "bt": one thread, the one gdb had selected; gdb printed no number for it.
      out_.warn(where(preamble_.line),
                "no thread header: the frames are read as one thread (the one gdb had selected)");
      preamble_.header.id = "?";
      write_task(preamble_);
    }
    if (s.tasks.empty()) {
      throw Error(fmt::format("{}: no thread found: not a gdb, lldb, pstack or eu-stack backtrace",
                              in_.name));
    }
    sort_tasks();
    gdb_resolve::resolve_waits(in_.name, read_, out_);
  }

  // gdb prints the highest thread number first; threads are listed in ascending order instead,
  // so that a cycle starts at its lowest thread, as testdata/gdb/README.md's ground truth does.
  // Every frame is written by now: reordering the tasks moves no frame, and the waits and holds
  // that name tasks are added only after this.
  void sort_tasks() {
    Snapshot& s = out_.snapshot();
    std::vector<std::pair<uint64_t, uint64_t>> keys;
    keys.reserve(s.tasks.size());
    for (const Task& t : s.tasks) {
      auto key = id_key(s.str(t.id));
      if (!key) return;  // not gdb numbers: keep the dump's order
      keys.push_back(*key);
    }
    std::vector<TaskIndex> order(s.tasks.size());
    for (TaskIndex t = 0; t < order.size(); ++t) order[t] = t;
    std::stable_sort(order.begin(), order.end(),
                     [&](TaskIndex a, TaskIndex b) { return keys[a] < keys[b]; });
    std::vector<TaskIndex> position(order.size());
    bool moved = false;
    for (TaskIndex i = 0; i < order.size(); ++i) {
      position[order[i]] = i;
      moved |= order[i] != i;
    }
    if (!moved) return;
    auto permute = [&](auto& v) {
      std::remove_reference_t<decltype(v)> sorted;
      sorted.reserve(v.size());
      for (TaskIndex t : order) sorted.push_back(std::move(v[t]));
      v.swap(sorted);
    };
    permute(s.tasks);
    permute(read_.handles);
    permute(read_.handle_texts);
    for (PendingWait& w : read_.waits) w.task = position[w.task];
    std::stable_sort(read_.waits.begin(), read_.waits.end(),
                     [](const PendingWait& a, const PendingWait& b) { return a.task < b.task; });
  }

  void write_task(const Block& b) {
    warn_missing_frames(b, b.header.id);
    TaskIndex task = out_.begin_task(b.header.id, b.line);
    Task& t = out_.task(task);
    t.lwp = b.header.lwp;
    t.name = out_.intern(b.header.name);
    std::string function;
    for (const GdbFrame& g : b.frames) {
      Frame f;
      if (g.function_tail.empty()) {
        f.function = out_.intern(g.function);
      } else {
        function.assign(g.function);
        function += g.function_tail;
        f.function = out_.intern(function);
      }
      f.file = out_.intern(g.file);
      f.module = out_.intern(g.module);
      f.args = out_.store(g.args);  // argument values rarely repeat
      f.line = g.line;
      if (!g.pc.empty()) f.pc = parse_hex(g.pc).value_or(0);
      out_.add_frame(f);
    }
    task_of_id_.emplace(b.header.id, task);
    read_.handles.push_back(b.header.handle_value);
    read_.handle_texts.push_back(handle_text(b.header));
    read_wait(task, b);
  }

  // What the task's own frames say it waits for (graph/resolve_glibc's tables).
  void read_wait(TaskIndex task, const Block& b) {
    Snapshot& s = out_.snapshot();
    Task& t = s.tasks[task];
    const uint32_t first = t.first_frame, n = t.frame_count;
    uint32_t app = n;
    for (uint32_t i = 0; i < n; ++i) {
      if (!is_runtime(s.frames[first + i])) {
        app = i;
        break;
      }
    }
    t.app_frame = app < n ? app : kNone;

    PendingWait w;
    w.task = task;
    w.line = b.line;
    w.app_frame = app < n ? first + app : kNone;
    w.futex = b.futex;
    w.futex_line = b.owner_line;
    for (const GdbOwnerLine& o : b.owners) {
      if (o.owner && !o.address.empty()) {
        read_.owner_facts.push_back(
            {ResourceKind::kMutex, o.address, o.symbol, *o.owner, b.owner_line});
      }
    }
    // The innermost frame that proves a wait decides what it is.
    for (uint32_t i = 0; i < app; ++i) {
      if (const auto* row = facts(s.frames[first + i].function).wait) {
        w.op = row->op;
        w.frame = first + i;
        break;
      }
    }
    // The wait shows at the outermost frame of that operation, the call the program made
    // (___pthread_mutex_lock rather than lll_mutex_lock_optimized, std::mutex::lock above both).
    for (uint32_t i = w.frame == kNone ? app : w.frame - first + 1; i < app; ++i) {
      const auto* row = facts(s.frames[first + i].function).wait;
      if (row == nullptr) continue;
      if (row->op != w.op) break;
      w.frame = first + i;
    }
    if (n > 0 && app > 0 && s.str(s.frames[first].function) == "??") w.unnamed_runtime_top = true;
    if (app < n) w.app_args = b.frames[app].args;
    if (w.op != WaitOp::kNone) read_lock_arguments(w, b, app);
    read_.waits.push_back(std::move(w));
  }

  // Where the lock is: the first runtime frame whose table row names a printed argument.
  void read_lock_arguments(PendingWait& w, const Block& b, uint32_t app) {
    const Snapshot& s = out_.snapshot();
    const uint32_t first = s.tasks[w.task].first_frame;
    std::optional<GdbValue> futex_word;
    for (uint32_t i = 0; i < app; ++i) {
      const glibc::LockArgRows& rows = facts(s.frames[first + i].function).args;
      for (size_t r = 0; r < rows.count; ++r) {
        const glibc::LockArgRow& row = *rows.rows[r];
        if (row.only_for != WaitOp::kNone && row.only_for != w.op) continue;
        auto text = find_gdb_argument(b.frames[i].args, row.argument);
        if (!text) continue;
        GdbValue v = parse_gdb_value(*text);
        switch (row.form) {
          case glibc::ArgForm::kReference:
            if (v.reference && !v.contents.empty()) read_lock_contents(v, b.line);
            [[fallthrough]];
          case glibc::ArgForm::kLockAddress:
            if (w.address.empty() && v.value && *v.value != 0 && !v.string) {
              w.address = std::string(v.number);
              w.address_value = v.value;
              if (v.symbol_offset == 0) w.symbol = v.symbol;
            }
            break;
          case glibc::ArgForm::kFutexWord:
            if (!futex_word && v.value && *v.value != 0) futex_word = v;
            break;
          case glibc::ArgForm::kThreadHandle:
            if (!w.join_handle && v.value && *v.value != 0) {
              w.join_handle = v.value;
            }
            break;
          case glibc::ArgForm::kJoineeLwp:
            if (!w.join_lwp && v.value && *v.value != 0) {
              w.join_lwp = static_cast<int64_t>(*v.value);
            }
            break;
        }
      }
    }
    if (w.op == WaitOp::kJoin) return;
    if (w.op == WaitOp::kRwlockRead && futex_word && w.address_value &&
        futex_word->value == w.address_value) {
      w.readers_word = true;
    }
    if (w.address.empty() && futex_word) {
      if (auto offset = glibc::futex_word_offset(w.op); offset && *futex_word->value >= *offset) {
        w.address_value = *futex_word->value - *offset;
        w.address = *offset == 0 ? std::string(futex_word->number) : hex_address(*w.address_value);
        if (futex_word->symbol_offset == *offset) w.symbol = futex_word->symbol;
      }
    }
    // Only a lock's address can meet a holder; a guessed condition address would add nothing.
    bool lock =
        w.op == WaitOp::kMutexLock || w.op == WaitOp::kRwlockRead || w.op == WaitOp::kRwlockWrite;
    if (lock && w.address.empty() && w.app_frame != kNone) read_caller_pointer(w, b, app);
  }

  // Without libc debug info the lock frames print no arguments. The direct caller's argument is
  // the lock when it is its only pointer (lldb: "uv_mutex_lock(mutex=0x0000000005d556d0)"); a
  // pointer to a struct holding the lock elsewhere would be wrong, so this is a heuristic
  // (Evidence::kInferred), and any doubt leaves the lock unknown.
  void read_caller_pointer(PendingWait& w, const Block& b, uint32_t app) {
    std::optional<GdbValue> only;
    int pointers = 0;
    for_each_argument(b.frames[app].args, [&](std::string_view, std::string_view value) {
      GdbValue v = parse_gdb_value(value);
      constexpr uint64_t kLowestPointer = 0x10000;  // below: an integer cast to a pointer
      if (starts_with(v.number, "0x") && v.value && *v.value >= kLowestPointer && !v.string &&
          !v.reference) {
        ++pointers;
        only = v;
      }
      return false;
    });
    if (pointers != 1) return;
    w.address = std::string(only->number);
    w.address_value = only->value;
    if (only->symbol_offset == 0) w.symbol = only->symbol;
    w.evidence = Evidence::kInferred;
  }

  // `bt -frame-arguments all` prints a guard's mutex: "__m=@0x559ebddad0e0: {… __data = {__lock =
  // 2, __count = 0, __owner = 4833, …}}" — the owner, read by gdb from memory.
  void read_lock_contents(const GdbValue& v, uint32_t line) {
    std::string_view c = v.contents;
    size_t data = c.find("__data = {");
    if (data == npos || c.find("__data = {", data + 1) != npos) return;  // none, or several locks
    auto field = [&](std::string_view name) -> std::optional<int64_t> {
      size_t at = c.find(name);
      if (at == npos) return std::nullopt;
      std::string_view rest = c.substr(at + name.size());
      return parse_decimal(rest.substr(0, rest.find_first_of(",}")));
    };
    if (auto owner = field("__owner = ")) {
      read_.owner_facts.push_back({ResourceKind::kMutex, v.number, {}, *owner, line});
    } else if (auto writer = field("__cur_writer = ")) {
      read_.owner_facts.push_back({ResourceKind::kRwlock, v.number, {}, *writer, line});
    }
  }

  const Input& in_;
  SnapshotBuilder& out_;
  uint32_t line_ = 0;

  State state_ = State::kPreamble;
  Block block_;     // the thread being read
  Block preamble_;  // frames before the first header
  bool saw_header_ = false;
  std::vector<Block> rows_;  // info threads rows, as one-frame blocks
  std::unordered_map<std::string_view, TaskIndex> task_of_id_;
  std::unordered_set<std::string_view> seen_ids_;
  size_t repeats_ = 0;
  uint32_t first_repeat_line_ = 0;

  std::optional<GdbFrame> pending_;  // the last frame line, until the next line shows no wrap
  uint32_t pending_line_ = 0;
  std::string_view pending_text_;
  std::deque<std::string> joined_lines_;  // wrapped frame lines put back together

  std::vector<FunctionFacts> facts_;    // by function StrId
  std::vector<int8_t> module_runtime_;  // by module StrId: -1 unknown, 0 no, 1 yes
  gdb_resolve::ReadThreads read_;       // the dump's threads, waits and owners, for resolve_waits
};

class GdbBacktraceParser : public Parser {
 public:
  std::string_view name() const override { return "gdb"; }
  std::string_view description() const override {
    return "native threads: gdb 'thread apply all bt' (bt full, -frame-arguments all, owners.gdb), "
           "lldb 'bt all', pstack/gstack, eu-stack";
  }

  int probe(std::string_view prefix) const override {
    LineReader lines(prefix);
    std::string_view line;
    int frames = 0, preamble = 0;
    bool header_then_frame = false, eu_process = false, after_header = false;
    while (lines.next(line)) {
      GdbLine tok = tokenize_gdb_line(line);
      switch (tok.kind) {
        case Kind::kThreadHeader:
          after_header = true;
          continue;
        case Kind::kFrame:
          ++frames;
          if (after_header) header_then_frame = true;
          break;
        case Kind::kProcess:
          eu_process = true;
          break;
        case Kind::kBlank:
          continue;
        case Kind::kOther:
          if (starts_with(line, "[New LWP ") || starts_with(line, "[New Thread ") ||
              starts_with(line, "[Thread debugging using libthread_db") ||
              starts_with(line, "(gdb) ") || starts_with(line, "(lldb) ")) {
            ++preamble;
          }
          break;
        default:
          break;
      }
      after_header = false;
      if (header_then_frame) return 95;
    }
    if (eu_process && frames > 0) return 95;
    if (frames >= 2) return 60;  // a plain "bt"
    return preamble > 0 ? 20 : 0;
  }

  void parse(const Input& input, const ParseOptions& /*options*/,
             SnapshotBuilder& out) const override {
    GdbDumpReader(input, out).run();
  }
};

}  // namespace

std::unique_ptr<Parser> make_gdb_backtrace_parser() {
  return std::make_unique<GdbBacktraceParser>();
}

}  // namespace dla
