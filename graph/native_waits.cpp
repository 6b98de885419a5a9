// The native wait/owner model shared by the gdb text reader and the ELF core reader: see
// native_waits.h.
#include "graph/native_waits.h"

#include <fmt/format.h>

namespace dla::native {

bool names_owner(int64_t value) {
  for (const OwnerValueRow& row : kOwnerValues) {
    if (row.at_most ? value <= row.value : value == row.value) return false;
  }
  return true;
}

void NativeWaits::add_thread(TaskIndex task, std::optional<int64_t> lwp,
                             std::optional<uint64_t> handle) {
  if (task >= handles_.size()) handles_.resize(task + 1);
  handles_[task] = handle;
  if (lwp) by_lwp_.emplace(*lwp, task);
  if (handle) by_handle_.emplace(*handle, task);
}

TaskIndex NativeWaits::thread_by_lwp(int64_t lwp) const {
  auto it = by_lwp_.find(lwp);
  return it == by_lwp_.end() ? kNone : it->second;
}

TaskIndex NativeWaits::thread_by_handle(uint64_t handle) const {
  auto it = by_handle_.find(handle);
  return it == by_handle_.end() ? kNone : it->second;
}

std::optional<uint64_t> NativeWaits::handle_of(TaskIndex task) const {
  return task < handles_.size() ? handles_[task] : std::nullopt;
}

TaskIndex NativeWaits::joinee_by_tid_word(uint64_t uaddr, int64_t word,
                                          std::optional<uint64_t> tid_offset) const {
  if (word <= 0) return kNone;
  TaskIndex t = thread_by_lwp(word);
  std::optional<uint64_t> handle = handle_of(t);
  if (t == kNone || !handle) return kNone;
  if (tid_offset) return *handle + *tid_offset == uaddr ? t : kNone;
  return uaddr >= *handle && uaddr - *handle < glibc::kThreadDescriptorSpan ? t : kNone;
}

void NativeWaits::flag(std::vector<bool>& v, ResourceIndex r) {
  if (r >= v.size()) v.resize(r + 1, false);
  v[r] = true;
}

ResourceIndex NativeWaits::lock(ResourceKind kind, std::string_view address,
                                std::string_view symbol, std::string_view type) {
  ResourceIndex r = out_.resource(kind, address, type);
  Resource& res = out_.snapshot().resources[r];
  if (res.symbol == kNoString && !symbol.empty()) res.symbol = out_.intern(symbol);
  return r;
}

ResourceIndex NativeWaits::add_wait(const NativeWait& w) {
  ResourceIndex r;
  TaskIndex joinee = kNone;
  if (w.join) {
    constexpr std::string_view kType = "pthread_t";
    if (w.address.empty()) {
      r = out_.unknown_resource(ResourceKind::kCondition, kType);
      flag(unknown_, r);
    } else {
      r = out_.resource(ResourceKind::kCondition, w.address, kType);
    }
    flag(joins_, r);
    // pthread_join of the calling thread fails with EDEADLK instead of sleeping: a joinee that is
    // the waiter itself is a misread, not a wait on itself.
    if (w.joinee != w.task) joinee = w.joinee;
    if (w.joinee == kNone && !w.missing_joinee.empty()) {
      const Snapshot& s = out_.snapshot();
      out_.warn(w.where, fmt::format("thread {} joins {}, which is not a thread in this {}",
                                     s.str(s.tasks[w.task].id), w.missing_joinee, noun_));
    }
  } else if (w.address.empty()) {
    r = out_.unknown_resource(w.kind, w.type);
    flag(unknown_, r);
  } else {
    r = lock(w.kind, w.address, w.symbol, w.type);
  }
  if (w.writers_first) out_.snapshot().resources[r].writers_first = true;
  out_.add_wait({w.task, r, w.evidence, w.frame, w.app_frame, kNoString, w.shared});
  if (joinee != kNone) out_.add_hold({r, joinee, w.joinee_evidence, kNone});
  if (w.owner) hold(r, *w.owner, w.evidence, w.where);
  return r;
}

void NativeWaits::add_owner(ResourceKind kind, std::string_view address, std::string_view symbol,
                            int64_t owner, Evidence evidence, const std::string& where) {
  if (!names_owner(owner)) return;  // unlocked, or the owner died (robust mutex)
  hold(lock(kind, address, symbol), owner, evidence, where);
}

void NativeWaits::hold(ResourceIndex r, int64_t owner, Evidence evidence,
                       const std::string& where) {
  if (!names_owner(owner)) return;
  TaskIndex t = thread_by_lwp(owner);
  if (t != kNone) {
    out_.add_hold({r, t, evidence, kNone});
    return;
  }
  if (!warned_owners_.insert(owner).second) return;
  const Snapshot& s = out_.snapshot();
  const Resource& res = s.resources[r];
  out_.warn(where, fmt::format("{} {} is held by LWP {}, which is not a thread in this {} (it "
                               "exited without unlocking?)",
                               to_string(res.kind), s.str(res.address), owner, noun_));
}

}  // namespace dla::native
