#include "graph/diff_match.h"

#include <algorithm>

#include <fmt/format.h>

namespace dla {

TaskIdentity identity_of(const Snapshot& s, const Task& t) {
  if (s.family == RuntimeFamily::kNative && t.lwp) return {{}, *t.lwp};
  return {s.str(t.id), t.lwp.value_or(INT64_MIN)};
}

std::string identity_text(const Snapshot& s, const Task& t) {
  TaskIdentity k = identity_of(s, t);
  return k.lwp == INT64_MIN ? std::string(k.id) : fmt::format("{}/{}", k.id, k.lwp);
}

bool has_identities(const Snapshot& s) {
  for (const Task& t : s.tasks) {
    std::string_view id = s.str(t.id);
    bool position = id.size() > 1 && id[0] == '@' &&
                    id.find_first_not_of("0123456789", 1) == std::string_view::npos;
    if (!position) return true;
  }
  return s.tasks.empty();
}

namespace {

constexpr uint64_t kNotANumber = UINT64_MAX;

// The identity as a small number (a goroutine id), or kNotANumber.
uint64_t identity_number(const TaskIdentity& k) {
  if (k.lwp != INT64_MIN || k.id.empty() || k.id.size() > 9) return kNotANumber;
  uint64_t n = 0;
  for (char c : k.id) {
    if (c < '0' || c > '9') return kNotANumber;
    n = n * 10 + static_cast<uint64_t>(c - '0');
  }
  return n;
}

}  // namespace

IdentityIndex::IdentityIndex(const Snapshot& s) {
  uint64_t largest = 0;
  bool numbers = true;
  for (const Task& t : s.tasks) {
    uint64_t n = identity_number(identity_of(s, t));
    numbers = numbers && n != kNotANumber;
    if (numbers) largest = std::max(largest, n);
  }
  // Dense enough: at most a few words per task, or a hash map after all.
  if (numbers && largest < 16 * s.tasks.size() + 4096) {
    by_number_.assign(largest + 1, kNone);
    for (TaskIndex t = 0; t < s.tasks.size(); ++t) {
      TaskIndex& slot = by_number_[identity_number(identity_of(s, s.tasks[t]))];
      if (slot == kNone) slot = t;
    }
    return;
  }
  index_.reserve(s.tasks.size());
  for (TaskIndex t = 0; t < s.tasks.size(); ++t) index_.try_emplace(identity_of(s, s.tasks[t]), t);
}

TaskIndex IdentityIndex::find(const Snapshot& other, const Task& t) const {
  TaskIdentity k = identity_of(other, t);
  if (!by_number_.empty()) {
    uint64_t n = identity_number(k);
    return n < by_number_.size() ? by_number_[n] : kNone;
  }
  auto it = index_.find(k);
  return it == index_.end() ? kNone : it->second;
}

namespace {

bool is_go_runtime(std::string_view function) {
  return function.starts_with("runtime.");
}

// "main.main.func2" for "created by main.main": the wrapper Go 1.17+ compile a `go f(x)`
// statement to ("gowrap" since Go 1.22); shown only where the runtime's frames are.
bool is_go_statement_wrapper(std::string_view function, std::string_view creator) {
  if (creator.empty() || !function.starts_with(creator)) return false;
  std::string_view rest = function.substr(creator.size());
  for (std::string_view word : {std::string_view(".func"), std::string_view(".gowrap")}) {
    if (rest.starts_with(word) && rest.size() > word.size() &&
        rest.find_first_not_of("0123456789", word.size()) == std::string_view::npos) {
      return true;
    }
  }
  return false;
}

}  // namespace

SignatureFrames::SignatureFrames(const Snapshot& s, const Task& t)
    : s_(s), go_(s.family == RuntimeFamily::kGo) {
  auto frames = s.frames_of(t);
  at_ = frames.data();
  end_ = frames.data() + frames.size();
  if (!go_) return;
  while (end_ != at_ && hidden(end_[-1])) --end_;
  if (end_ != at_ && is_go_statement_wrapper(s.str(end_[-1].function), s.str(t.created_by))) {
    --end_;
  }
}

bool SignatureFrames::hidden(const Frame& f) const {
  return go_ && is_go_runtime(s_.str(f.function));
}

const Frame* SignatureFrames::next() {
  while (at_ != end_ && hidden(*at_)) ++at_;
  return at_ == end_ ? nullptr : at_++;
}

bool same_stack(const Snapshot& a, const Task& ta, const Snapshot& b, const Task& tb) {
  if (a.str(ta.state) != b.str(tb.state)) return false;
  SignatureFrames fa(a, ta), fb(b, tb);
  for (;;) {
    const Frame* x = fa.next();
    const Frame* y = fb.next();
    if (x == nullptr || y == nullptr) return x == y;
    if (x->line != y->line || a.str(x->function) != b.str(y->function) ||
        a.str(x->file) != b.str(y->file)) {
      return false;
    }
  }
}

uint64_t stack_signature(const Snapshot& s, const Task& t) {
  auto mix = [](uint64_t h, uint64_t v) {
    return h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
  };
  std::hash<std::string_view> text;
  uint64_t h = mix(0, text(s.str(t.state)));
  SignatureFrames frames(s, t);
  while (const Frame* f = frames.next()) {
    h = mix(h, text(s.str(f->function)));
    h = mix(h, text(s.str(f->file)));
    h = mix(h, static_cast<uint64_t>(f->line));
  }
  return h;
}

uint32_t StackTable::find_or_add(const Snapshot& s, TaskIndex t, uint32_t position) {
  if (snapshots_.size() <= position) snapshots_.resize(position + 1);
  snapshots_[position] = &s;
  std::vector<uint32_t>& same_hash = by_signature_[stack_signature(s, s.tasks[t])];
  for (uint32_t id : same_hash) {
    const Entry& e = entries_[id];
    const Snapshot& other = *snapshots_[e.position];
    if (same_stack(other, other.tasks[e.task], s, s.tasks[t])) return id;
  }
  auto id = static_cast<uint32_t>(entries_.size());
  entries_.push_back({position, t});
  same_hash.push_back(id);
  return id;
}

}  // namespace dla
