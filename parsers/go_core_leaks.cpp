#include "parsers/go_core_leaks.h"

#include <algorithm>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

namespace dla {

namespace {

using go::FieldId;

constexpr uint64_t kMaxSpans = 20'000'000;  // 160 GB of 8 KB pages
constexpr size_t kChunk = 64 * 1024;        // bytes scanned per read

struct Span {
  uint64_t start = 0, end = 0;  // [start, end): the span's pages
  uint64_t elemsize = 0;        // 0: not in use (stacks, free pages): holds no objects
};

class LeakScanner {
 public:
  LeakScanner(const GoMemory& memory, const GoBinary& binary, const GoLeakScanInput& input)
      : mem_(memory), bin_(binary), L_(binary.layout()), in_(input) {}

  GoLeakScan run() {
    GoLeakScan out;
    out.leaked.assign(in_.goroutines.size(), false);
    if (!read_spans()) {
      out.why_not = why_not_;
      return out;
    }
    for (size_t i = 0; i < in_.goroutines.size(); ++i) {
      g_index_.emplace(in_.goroutines[i].g, i);
    }
    live_.assign(in_.goroutines.size(), false);
    index_wait_objects();
    // Roots: global variables, thread registers and stacks, goroutines that may run by
    // themselves (or whose wait object is outside the heap and the stacks: the conservative
    // side), objects with finalizers.
    scan_roots();
    for (uint64_t word : in_.thread_registers) mark(word);
    for (auto [lo, hi] : in_.thread_stacks) {
      if (!scan_range(lo, hi))
        failed_ = fmt::format("a thread's stack at {:#x} is not in the core", lo);
    }
    for (size_t i = 0; i < in_.goroutines.size(); ++i) {
      if (in_.goroutines[i].waits_on.empty() || wakes_by_itself_[i]) make_live(i);
    }
    if (!scan_specials()) {
      out.why_not = why_not_;
      return out;
    }
    // Mark; a parked goroutine whose wait object gets marked (or whose stack holds it, once
    // that goroutine is live) is woken and its stack marked in turn, until nothing is left.
    while (failed_.empty() && (!work_.empty() || !wake_.empty())) {
      drain();
      while (!wake_.empty() && failed_.empty()) {
        size_t i = wake_.back();
        wake_.pop_back();
        if (!live_[i]) make_live(i);
      }
    }
    if (!failed_.empty()) {
      out.why_not = failed_;
      return out;
    }
    for (size_t i = 0; i < in_.goroutines.size(); ++i) out.leaked[i] = !live_[i];
    out.complete = true;
    out.objects_marked = marked_.size();
    return out;
  }

 private:
  // mheap_.allspans: every span; an in-use span holds objects of elemsize bytes each.
  bool read_spans() {
    auto mheap = bin_.global(go::GlobalId::kMheap);
    auto allspans = L_.at(FieldId::kMheapAllspans);
    auto span_size = L_.size(go::TypeId::kMspan);
    auto in_use = bin_.constant("runtime.mSpanInUse");
    auto page = bin_.constant("runtime._PageSize");
    if (!page) page = bin_.constant("runtime.pageSize");
    for (FieldId f : {FieldId::kMspanStartAddr, FieldId::kMspanNpages, FieldId::kMspanElemsize,
                      FieldId::kMspanState}) {
      if (!L_.at(f)) return fail("the executable's DWARF lacks runtime.mspan's fields");
    }
    if (!mheap || !allspans || !span_size || !in_use || !page || *page <= 0) {
      return fail("the executable lacks runtime.mheap_, its allspans or the span constants");
    }
    auto data = mem_.word(*mheap + *allspans), len = mem_.word(*mheap + *allspans + 8);
    if (!data || !len || *len == 0 || *len > kMaxSpans)
      return fail("mheap_.allspans is unreadable");
    std::vector<uint64_t> pointers(*len);
    if (!mem_.read(*data, pointers.data(), *len * 8)) return fail("mheap_.allspans is unreadable");
    for (uint64_t p : pointers) {
      GoRecord r;
      if (!r.load(mem_, p, *span_size))
        return fail(fmt::format("span {:#x} is not in the core", p));
      Span s;
      s.start = r.get_or(L_, FieldId::kMspanStartAddr, 0);
      uint64_t npages = r.get_or(L_, FieldId::kMspanNpages, 0);
      if (s.start == 0 || npages == 0 || npages > (uint64_t{1} << 40) / *page) continue;
      s.end = s.start + npages * static_cast<uint64_t>(*page);
      if (r.get_or(L_, FieldId::kMspanState, 0) == static_cast<uint64_t>(*in_use)) {
        s.elemsize = r.get_or(L_, FieldId::kMspanElemsize, 0);
        if (s.elemsize == 0) continue;
        span_records_.push_back(p);
      }
      spans_.push_back(s);
    }
    std::sort(spans_.begin(), spans_.end(),
              [](const Span& a, const Span& b) { return a.start < b.start; });
    if (!spans_.empty()) heap_lo_ = spans_.front().start;
    for (const Span& s : spans_) heap_hi_ = std::max(heap_hi_, s.end);
    return true;
  }

  const Span* span_of(uint64_t address) const {
    if (address < heap_lo_ || address >= heap_hi_) return nullptr;
    auto it = std::upper_bound(spans_.begin(), spans_.end(), address,
                               [](uint64_t a, const Span& s) { return a < s.start; });
    if (it == spans_.begin()) return nullptr;
    --it;
    return address < it->end ? &*it : nullptr;
  }

  // The heap object `word` points into, if any: its base and size.
  std::optional<std::pair<uint64_t, uint64_t>> object_of(uint64_t word) const {
    const Span* s = span_of(word);
    if (s == nullptr || s->elemsize == 0) return std::nullopt;
    uint64_t base = s->start + (word - s->start) / s->elemsize * s->elemsize;
    if (base + s->elemsize > s->end) return std::nullopt;  // the span's unused tail
    return std::make_pair(base, s->elemsize);
  }

  void mark(uint64_t word) {
    auto object = object_of(word);
    if (!object) return;
    if (!marked_.insert(object->first).second) return;
    if (auto w = waiters_of_object_.find(object->first); w != waiters_of_object_.end()) {
      wake_.insert(wake_.end(), w->second.begin(), w->second.end());
    }
    // A goroutine's g is scanned only if the goroutine is live: a parked one's g points at what
    // it waits for.
    if (g_index_.count(object->first)) return;
    work_.push_back(*object);
  }

  void drain() {
    while (!work_.empty() && failed_.empty()) {
      auto [base, size] = work_.back();
      work_.pop_back();
      if (!scan_range(base, base + size)) {
        failed_ = fmt::format("heap object {:#x} ({} bytes) is not in the core", base, size);
      }
    }
  }

  bool scan_range(uint64_t lo, uint64_t hi) {
    lo = (lo + 7) & ~uint64_t{7};
    std::vector<uint64_t> words;
    for (uint64_t at = lo; at < hi; at += kChunk) {
      uint64_t n = std::min<uint64_t>(kChunk, hi - at) / 8;
      words.resize(n);
      if (n == 0) break;
      if (!mem_.read(at, words.data(), n * 8)) return false;
      for (uint64_t w : words) mark(w);
    }
    return true;
  }

  // The executable's data and bss, minus the runtime's wait index.
  void scan_roots() {
    std::vector<std::pair<uint64_t, uint64_t>> holes = in_.not_roots;
    std::sort(holes.begin(), holes.end());
    for (auto [lo, hi] : in_.globals) {
      uint64_t at = lo;
      for (auto hole : holes) {
        if (hole.second <= at || hole.first >= hi || !failed_.empty()) continue;
        if (hole.first > at) scan_root(at, hole.first);
        at = std::max(at, hole.second);
      }
      if (at < hi && failed_.empty()) scan_root(at, hi);
    }
  }

  void scan_root(uint64_t lo, uint64_t hi) {
    // Pages the core does not hold (never touched, or left out) read as unknown: a root region
    // that cannot be read means the scan cannot be complete.
    for (uint64_t at = lo; at < hi && failed_.empty(); at += kChunk) {
      uint64_t end = std::min<uint64_t>(hi, at + kChunk);
      if (!scan_range(at, end)) {
        failed_ = fmt::format("global variables at {:#x} are not in the core", at);
      }
    }
  }

  // Objects with a special record (a finalizer, a profiling record …) are roots: a finalizer
  // runs once its object is unreachable and may use whatever the object reaches.
  bool scan_specials() {
    auto specials = L_.at(FieldId::kMspanSpecials);
    auto next = L_.at(FieldId::kSpecialNext), offset = L_.at(FieldId::kSpecialOffset);
    if (!specials || !next || !offset) {
      return fail("the executable's DWARF lacks runtime.mspan.specials or runtime.special");
    }
    for (uint64_t span : span_records_) {
      auto start = mem_.word(span + *L_.at(FieldId::kMspanStartAddr));
      std::unordered_set<uint64_t> seen;
      for (auto sp = mem_.word(span + *specials); sp && *sp != 0 && seen.insert(*sp).second;
           sp = mem_.word(*sp + *next)) {
        auto off = mem_.uint(*sp + *offset, L_.width(FieldId::kSpecialOffset));
        if (!start || !off) return fail("a span's special records are not in the core");
        mark(*start + *off);
        if (seen.size() > 1'000'000) return fail("a span's special records loop");
      }
    }
    return true;
  }

  void make_live(size_t i) {
    live_[i] = true;
    if (auto w = waiters_in_stack_.find(i); w != waiters_in_stack_.end()) {
      wake_.insert(wake_.end(), w->second.begin(), w->second.end());
    }
    const GoLeakScanInput::Goroutine& g = in_.goroutines[i];
    uint64_t lo = std::max(g.sp, g.stack_lo);
    if (g.stack_hi > lo && g.stack_hi - lo < (uint64_t{1} << 31) && !scan_range(lo, g.stack_hi)) {
      failed_ = fmt::format("the stack of the goroutine at g {:#x} is not in the core", g.g);
    }
    if (auto object = object_of(g.g); object && failed_.empty()) {
      marked_.insert(object->first);
      work_.push_back(*object);
    }
  }

  // Where each parked goroutine's wait objects are: a heap object (it wakes when that is
  // marked), in a goroutine's stack (when that goroutine is live), or anywhere else (a global:
  // always reachable; unknown memory: the conservative side) — then it is a root.
  void index_wait_objects() {
    std::vector<std::tuple<uint64_t, uint64_t, size_t>> stacks;  // lo, hi, goroutine
    for (size_t i = 0; i < in_.goroutines.size(); ++i) {
      const GoLeakScanInput::Goroutine& g = in_.goroutines[i];
      if (g.stack_lo < g.stack_hi) stacks.emplace_back(g.stack_lo, g.stack_hi, i);
    }
    std::sort(stacks.begin(), stacks.end());
    wakes_by_itself_.assign(in_.goroutines.size(), false);
    for (size_t i = 0; i < in_.goroutines.size(); ++i) {
      for (uint64_t a : in_.goroutines[i].waits_on) {
        if (auto object = object_of(a)) {
          waiters_of_object_[object->first].push_back(i);
          continue;
        }
        auto it = std::upper_bound(stacks.begin(), stacks.end(), a,
                                   [](uint64_t x, const auto& t) { return x < std::get<0>(t); });
        if (it != stacks.begin() && a < std::get<1>(*std::prev(it))) {
          waiters_in_stack_[std::get<2>(*std::prev(it))].push_back(i);
        } else {
          wakes_by_itself_[i] = true;
        }
      }
    }
  }

  bool fail(std::string why) {
    why_not_ = std::move(why);
    return false;
  }

  const GoMemory& mem_;
  const GoBinary& bin_;
  const go::RuntimeLayout& L_;
  const GoLeakScanInput& in_;
  std::vector<Span> spans_;
  std::vector<uint64_t> span_records_;  // in-use mspans
  uint64_t heap_lo_ = 0, heap_hi_ = 0;
  std::unordered_map<uint64_t, size_t> g_index_;
  std::unordered_set<uint64_t> marked_;
  std::vector<std::pair<uint64_t, uint64_t>> work_;
  std::vector<bool> live_;
  std::vector<bool> wakes_by_itself_;
  std::unordered_map<uint64_t, std::vector<size_t>> waiters_of_object_;  // object → goroutines
  std::unordered_map<size_t, std::vector<size_t>> waiters_in_stack_;  // stack owner → goroutines
  std::vector<size_t> wake_;  // goroutines whose wait object was reached
  std::string why_not_;
  std::string failed_;
};

}  // namespace

GoLeakScan find_leaked_goroutines(const GoMemory& memory, const GoBinary& binary,
                                  const GoLeakScanInput& input) {
  return LeakScanner(memory, binary, input).run();
}

}  // namespace dla
