#include "parsers/jvm_json_dump.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "graph/diagnostics.h"
#include "graph/resolve_hotspot.h"
#include "graph/text_numbers.h"
#include "parsers/jvm_thread_dump.h"
#include "parsers/line_reader.h"

namespace dla {

namespace {

using Json = nlohmann::json;

// One thread object as ThreadDumper wrote it; every value is a string (or null).
struct JsonThread {
  std::string tid, name, state, park_blocker, blocked_on, waiting_on;
  bool is_virtual = false;
  std::vector<std::string> stack;
  std::vector<std::pair<int64_t, std::string>> owned;  // (depth, identity string)
  int64_t owned_depth = 0;
};

// Where in the document a value is: the keys of the objects around it ("" for array levels).
class Handler : public nlohmann::json_sax<Json> {
 public:
  Handler(const Input& in, SnapshotBuilder& out) : in_(in), out_(out) {}

  bool null() override { return scalar({}); }
  bool boolean(bool value) override {
    if (in_thread_field("virtual")) thread_.is_virtual = value;
    return true;
  }
  bool number_integer(number_integer_t value) override { return scalar(std::to_string(value)); }
  bool number_unsigned(number_unsigned_t value) override { return scalar(std::to_string(value)); }
  bool number_float(number_float_t /*value*/, const string_t& text) override {
    return scalar(text);
  }
  bool string(string_t& value) override { return scalar(value); }
  bool binary(binary_t& /*value*/) override { return true; }

  bool start_object(std::size_t /*size*/) override {
    levels_.push_back({false, {}});
    if (at_thread()) thread_ = JsonThread{};
    return true;
  }
  bool key(string_t& key) override {
    levels_.back().key = key;
    return true;
  }
  bool end_object() override {
    if (at_thread()) add_thread();
    if (levels_.size() == 1 && !saw_threads_) shape_error();
    levels_.pop_back();
    return true;
  }
  bool start_array(std::size_t /*size*/) override {
    levels_.push_back({true, {}});
    return true;
  }
  bool end_array() override {
    levels_.pop_back();
    return true;
  }
  bool parse_error(std::size_t position, const std::string& /*last_token*/,
                   const nlohmann::detail::exception& ex) override {
    error_at_ = position;
    error_ = ex.what();
    return false;
  }

  size_t error_at() const { return error_at_; }
  const std::string& error() const { return error_; }
  bool saw_threads() const { return saw_threads_; }

 private:
  struct Level {
    bool array;
    std::string key;
  };

  std::string_view key_at(size_t depth) const {
    return depth < levels_.size() ? std::string_view(levels_[depth].key) : std::string_view();
  }

  // threadDump{ threadContainers[ {container… threads[ {thread
  bool at_thread() const {
    return levels_.size() == 6 && key_at(0) == "threadDump" && key_at(1) == "threadContainers" &&
           levels_[2].array && key_at(3) == "threads" && levels_[4].array && !levels_[5].array;
  }
  bool in_thread_field(std::string_view field) const {
    return levels_.size() == 6 && at_thread() && levels_[5].key == field;
  }

  bool scalar(std::string_view value) {
    if (levels_.size() == 2 && key_at(0) == "threadDump") {
      if (levels_[1].key == "runtimeVersion") runtime_ = value;
      if (levels_[1].key == "time") out_.snapshot().taken_at_text = std::string(value);
      return true;
    }
    if (levels_.size() == 6 && at_thread()) {
      const std::string& field = levels_[5].key;
      if (field == "tid") thread_.tid = value;
      if (field == "name") thread_.name = value;
      if (field == "state") thread_.state = value;
      if (field == "parkBlocker") thread_.park_blocker = value;
      if (field == "blockedOn") thread_.blocked_on = value;
      if (field == "waitingOn") thread_.waiting_on = value;
      return true;
    }
    // "stack": [ "frame", … ]
    if (levels_.size() == 7 && key_at(5) == "stack" && levels_[6].array) {
      thread_.stack.emplace_back(value);
      return true;
    }
    // "monitorsOwned": [ {"depth": "N", "locks": ["Cls@hash", …]}, … ]
    if (levels_.size() == 8 && key_at(5) == "monitorsOwned" && levels_[7].key == "depth") {
      thread_.owned_depth = parse_decimal(value).value_or(0);
      return true;
    }
    if (levels_.size() == 9 && key_at(5) == "monitorsOwned" && key_at(7) == "locks" &&
        !value.empty()) {
      thread_.owned.emplace_back(thread_.owned_depth, std::string(value));
    }
    return true;
  }

  void shape_error() {
    throw Error(
        fmt::format("{}: JSON without a threadDump.threadContainers[].threads list: not "
                    "a jcmd Thread.dump_to_file -format=json dump",
                    in_.name));
  }

  // "java.lang.Object@1b6d3586": the object's identity, and its class.
  static std::string_view class_of(std::string_view identity) {
    return identity.substr(0, identity.rfind('@'));
  }

  void add_thread() {
    saw_threads_ = true;
    Snapshot& s = out_.snapshot();
    if (tasks_ == 0) {
      s.records_locks = false;  // until a thread's fields say otherwise (JDK 25)
      if (!runtime_.empty()) s.runtime = fmt::format("Java {}", runtime_);
    }
    ++tasks_;
    // Ids as the text form of the same dump names threads: the name, "#tid" when it has none.
    std::string id = thread_.name.empty() ? "#" + thread_.tid : thread_.name;
    TaskIndex t = out_.begin_task(id, 0);
    Task& task = out_.task(t);
    if (!thread_.name.empty()) task.name = out_.intern(thread_.name);
    if (!thread_.state.empty()) {
      task.state = out_.intern(thread_.state);
      s.records_locks = true;  // JDK 25: blocking objects and owned monitors are printed
    } else if (thread_.is_virtual) {
      task.state = out_.intern("virtual");
    }
    std::vector<uint32_t> frames;
    for (const std::string& element : thread_.stack) {
      std::string line = "      " + element;  // the text form's frame line
      JvmLine tok = tokenize_jvm_line(line);
      Frame f;
      f.function = out_.intern(tok.text);
      f.module = out_.intern(tok.module);
      std::string_view location = tok.detail;
      if (location == "Native Method") {
        f.native = true;
      } else if (location != "Unknown Source") {
        size_t colon = location.rfind(':');
        if (colon != std::string_view::npos) {
          if (auto number = parse_decimal(location.substr(colon + 1))) {
            f.line = static_cast<int32_t>(*number);
            location = location.substr(0, colon);
          }
        }
        f.file = out_.intern(location);
      }
      frames.push_back(out_.add_frame(f));
    }
    uint32_t top = frames.empty() ? kNone : frames.front();
    // A monitor the thread blocks to enter (BLOCKED): waits for it, held by whoever lists it
    // among its monitorsOwned. Object.wait's object ("waitingOn") is released while waiting: no
    // edge, as for jstack's "- waiting on".
    if (!thread_.blocked_on.empty()) {
      ResourceIndex r =
          out_.resource(ResourceKind::kMonitor, thread_.blocked_on, class_of(thread_.blocked_on));
      WaitEdge w;
      w.task = t;
      w.resource = r;
      w.evidence = Evidence::kLockRecord;
      w.frame = top;
      out_.add_wait(w);
    } else if (!thread_.park_blocker.empty()) {
      std::string_view type = class_of(thread_.park_blocker);
      ResourceIndex r =
          out_.resource(hotspot::kind_of_park_blocker(type), thread_.park_blocker, type);
      WaitEdge w;
      w.task = t;
      w.resource = r;
      w.evidence = Evidence::kLockRecord;
      w.frame = top;
      out_.add_wait(w);
    }
    for (const auto& [depth, identity] : thread_.owned) {
      ResourceIndex r = out_.resource(ResourceKind::kMonitor, identity, class_of(identity));
      uint32_t frame =
          depth >= 0 && static_cast<size_t>(depth) < frames.size() ? frames[depth] : kNone;
      out_.add_hold({r, t, Evidence::kLockRecord, frame});
    }
  }

  const Input& in_;
  SnapshotBuilder& out_;
  std::vector<Level> levels_;
  JsonThread thread_;
  std::string runtime_;
  size_t tasks_ = 0;
  bool saw_threads_ = false;
  size_t error_at_ = 0;
  std::string error_;
};

uint32_t line_of(std::string_view bytes, size_t offset) {
  offset = std::min(offset, bytes.size());
  return 1 + static_cast<uint32_t>(std::count(bytes.begin(), bytes.begin() + offset, '\n'));
}

class JvmJsonDumpParser : public Parser {
 public:
  std::string_view name() const override { return "jvm-json"; }
  std::string_view description() const override {
    return "HotSpot jcmd Thread.dump_to_file -format=json (JDK 21+, virtual threads included)";
  }
  int probe(std::string_view prefix) const override {
    // "{", then "threadDump" as the first key, whatever the blanks around them.
    constexpr std::string_view kBlanks = " \t\r\n";
    std::string_view head = prefix.substr(0, 512);
    size_t open = head.find_first_not_of(kBlanks);
    if (open == std::string_view::npos || head[open] != '{') return 0;
    size_t key = head.find_first_not_of(kBlanks, open + 1);
    return key != std::string_view::npos && head.substr(key).starts_with("\"threadDump\"") ? 95 : 0;
  }
  void parse(const Input& input, const ParseOptions& /*options*/,
             SnapshotBuilder& out) const override {
    out.snapshot().family = RuntimeFamily::kJvm;
    out.snapshot().task_noun = "thread";
    Handler handler(input, out);
    bool whole = Json::sax_parse(input.bytes, &handler, nlohmann::detail::input_format_t::json,
                                 /*strict=*/false);
    Snapshot& s = out.snapshot();
    if (!whole) {
      uint32_t line = line_of(input.bytes, handler.error_at());
      if (s.tasks.empty()) {
        throw Error(fmt::format("{}:{}: not valid JSON, and no thread before that point",
                                input.name, line));
      }
      out.warn(fmt::format("{}:{}", input.name, line),
               fmt::format("JSON ends or breaks here: truncated; the {} threads before it are "
                           "read, results are partial",
                           s.tasks.size()));
      out.set_damaged();
    }
    if (s.tasks.empty() && !handler.saw_threads()) {
      throw Error(fmt::format("{}: no thread found in the JSON thread dump", input.name));
    }
    if (!s.records_locks) {
      out.warn(input.name,
               "jcmd Thread.dump_to_file (JDK 21) records no locks: no cycle can be found in it; "
               "take 'jcmd PID Thread.print -l' or 'jstack -l PID' as well");
    }
  }
};

}  // namespace

std::unique_ptr<Parser> make_jvm_json_dump_parser() {
  return std::make_unique<JvmJsonDumpParser>();
}

}  // namespace dla
