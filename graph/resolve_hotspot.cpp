#include "graph/resolve_hotspot.h"

#include <algorithm>
#include <array>

namespace dla::hotspot {

namespace {

// From HotSpot's javaVFrame::print_lock_info_on (vframe.cpp), JDK 8 to 21.
constexpr std::array kLockLines = {
    // BLOCKED on monitor entry: "\t- waiting to lock <0x000000062a81bf28> (a java.lang.Object)"
    LockLineRule{"waiting to lock", LockRole::kWaits, ResourceKind::kMonitor},
    // JDK 9-16 print this under the frame that entered a monitor which a wait() further in
    // released: still waiting for notify (WAITING) or re-acquiring it (BLOCKED).
    LockLineRule{"waiting to re-lock in wait()", LockRole::kRelocks, ResourceKind::kMonitor},
    // Class initialisation by another thread (JDK 17+); the initialising thread is not printed.
    LockLineRule{"waiting on the Class initialization monitor for", LockRole::kWaits,
                 ResourceKind::kMonitor},
    // LockSupport.park: "\t- parking to wait for  <0x…> (a …ReentrantLock$NonfairSync)".
    LockLineRule{"parking to wait for", LockRole::kWaits, ResourceKind::kUnknown},
    // Monitor held, acquired in the frame above the line.
    LockLineRule{"locked", LockRole::kHolds, ResourceKind::kMonitor},
    // Object.wait() releases the monitor: never a hold.
    LockLineRule{"waiting on", LockRole::kWaitsNotify, ResourceKind::kCondition},
    // Lock removed by escape analysis ("<owner is scalar replaced>" or an object): no one can
    // contend for it, so it is neither a hold nor a wait.
    LockLineRule{"eliminated", LockRole::kNothing, ResourceKind::kMonitor},
};

struct BlockerRow {
  std::string_view class_name;
  ResourceKind kind;
};

// Park blockers seen in java.util.concurrent, JDK 8–21. Exact class names.
constexpr std::array kParkBlockers = {
    // Exclusive AQS locks: the owner is listed under "Locked ownable synchronizers".
    BlockerRow{"java.util.concurrent.locks.ReentrantLock$NonfairSync",
               ResourceKind::kOwnableSynchronizer},
    BlockerRow{"java.util.concurrent.locks.ReentrantLock$FairSync",
               ResourceKind::kOwnableSynchronizer},
    // Read/write locks: the write owner is listed; readers are only counted, never listed.
    BlockerRow{"java.util.concurrent.locks.ReentrantReadWriteLock$NonfairSync",
               ResourceKind::kRwlock},
    BlockerRow{"java.util.concurrent.locks.ReentrantReadWriteLock$FairSync", ResourceKind::kRwlock},
    BlockerRow{"java.util.concurrent.locks.StampedLock", ResourceKind::kRwlock},
    // Condition.await(): waiting to be signalled, like Object.wait(); nobody "holds" it.
    BlockerRow{"java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject",
               ResourceKind::kCondition},
    BlockerRow{"java.util.concurrent.locks.AbstractQueuedLongSynchronizer$ConditionObject",
               ResourceKind::kCondition},
    BlockerRow{"java.util.concurrent.FutureTask", ResourceKind::kCondition},
    BlockerRow{"java.util.concurrent.CompletableFuture$Signaller", ResourceKind::kCondition},
    BlockerRow{"java.util.concurrent.ForkJoinPool", ResourceKind::kCondition},
    // Counting waits.
    BlockerRow{"java.util.concurrent.CountDownLatch$Sync", ResourceKind::kWaitgroup},
    BlockerRow{"java.util.concurrent.Phaser$QNode", ResourceKind::kWaitgroup},
    BlockerRow{"java.util.concurrent.Semaphore$NonfairSync", ResourceKind::kSemaphore},
    BlockerRow{"java.util.concurrent.Semaphore$FairSync", ResourceKind::kSemaphore},
    // Hand-off queues: a rendezvous, like an unbuffered channel.
    BlockerRow{"java.util.concurrent.SynchronousQueue$TransferStack", ResourceKind::kChannel},
    BlockerRow{"java.util.concurrent.SynchronousQueue$TransferQueue", ResourceKind::kChannel},
    BlockerRow{"java.util.concurrent.Exchanger", ResourceKind::kChannel},
};

struct RwModeRow {
  std::string_view function;  // a JDK frame between the park and the program's call
  bool shared;
};
// java.util.concurrent.locks, JDK 8–21: the read and write views of a ReentrantReadWriteLock
// park on the one Sync object; only the frame says which side was asked for (testdata/jvm_source:
// read_write_upgrade's two threads park on one object, through WriteLock.lock and ReadLock.lock).
constexpr std::array kRwModes = {
    RwModeRow{"java.util.concurrent.locks.ReentrantReadWriteLock$ReadLock.lock", true},
    RwModeRow{"java.util.concurrent.locks.ReentrantReadWriteLock$ReadLock.lockInterruptibly", true},
    RwModeRow{"java.util.concurrent.locks.ReentrantReadWriteLock$ReadLock.tryLock", true},
    RwModeRow{"java.util.concurrent.locks.ReentrantReadWriteLock$WriteLock.lock", false},
    RwModeRow{"java.util.concurrent.locks.ReentrantReadWriteLock$WriteLock.lockInterruptibly",
              false},
    RwModeRow{"java.util.concurrent.locks.ReentrantReadWriteLock$WriteLock.tryLock", false},
    RwModeRow{"java.util.concurrent.locks.StampedLock.readLock", true},
    RwModeRow{"java.util.concurrent.locks.StampedLock.readLockInterruptibly", true},
    RwModeRow{"java.util.concurrent.locks.StampedLock.writeLock", false},
    RwModeRow{"java.util.concurrent.locks.StampedLock.writeLockInterruptibly", false},
};

// Read/write locks that queue a new reader behind a waiting writer: a non-fair
// ReentrantReadWriteLock when the first queued thread is a writer (NonfairSync.readerShouldBlock:
// apparentlyFirstQueuedIsExclusive), a fair one behind any queued thread. A reader that already
// holds a read lock re-enters without queueing, but such a reader is not seen parked.
constexpr std::array<std::string_view, 2> kWritersFirst = {
    "java.util.concurrent.locks.ReentrantReadWriteLock$NonfairSync",
    "java.util.concurrent.locks.ReentrantReadWriteLock$FairSync",
};

// Packages whose frames belong to the JDK rather than the application.
constexpr std::array<std::string_view, 8> kRuntimePackages = {
    "java.", "javax.", "jdk.", "sun.", "com.sun.", "org.openjdk.", "org.graalvm.", "<no method>"};

// JDK homes. JDK 9+ (jdk.hotspot.agent's SALauncher, `jhsdb jstack --locks --exe EXE --core
// CORE`); JDK 8 keeps the VM in its bundled JRE and its jstack reads a core through the SA when
// given the executable and the core (sun/tools/jstack/JStack.java: `jstack [-l] <executable>
// <core>`).
constexpr std::array kJdkLayouts = {
    JdkLayout{"/lib/server/libjvm.so", "JDK 9 or later",
              "bin/jhsdb jstack --locks --exe {java} --core {core}"},
    JdkLayout{"/lib/client/libjvm.so", "JDK 9 or later",
              "bin/jhsdb jstack --locks --exe {java} --core {core}"},
    JdkLayout{"/jre/lib/amd64/server/libjvm.so", "JDK 8", "bin/jstack -l {java} {core}"},
    JdkLayout{"/jre/lib/aarch64/server/libjvm.so", "JDK 8", "bin/jstack -l {java} {core}"},
};

}  // namespace

const JdkLayout* find_jdk_layout(std::string_view libjvm_path) {
  for (const JdkLayout& layout : kJdkLayouts) {
    if (libjvm_path.ends_with(layout.libjvm_suffix)) return &layout;
  }
  return nullptr;
}

const LockLineRule* find_lock_line_rule(std::string_view verb) {
  for (const LockLineRule& rule : kLockLines) {
    if (rule.verb == verb) return &rule;
  }
  return nullptr;
}

ResourceKind kind_of_park_blocker(std::string_view class_name) {
  for (const BlockerRow& row : kParkBlockers) {
    if (row.class_name == class_name) return row.kind;
  }
  // Any other blocker is most likely a custom AbstractQueuedSynchronizer; if a thread lists it
  // among its ownable synchronizers, that thread holds it.
  return ResourceKind::kOwnableSynchronizer;
}

std::optional<bool> rwlock_wait_mode(std::string_view function) {
  for (const RwModeRow& row : kRwModes) {
    if (row.function == function) return row.shared;
  }
  return std::nullopt;
}

bool queues_readers_behind_writers(std::string_view class_name) {
  return std::find(kWritersFirst.begin(), kWritersFirst.end(), class_name) != kWritersFirst.end();
}

bool is_runtime_frame(std::string_view function) {
  for (std::string_view package : kRuntimePackages) {
    if (function.substr(0, package.size()) == package) return true;
  }
  return false;
}

uint32_t first_program_frame(const Snapshot& s, uint32_t begin, uint32_t end) {
  for (uint32_t f = begin; f < end; ++f) {
    if (!is_runtime_frame(s.str(s.frames[f].function))) return f;
  }
  return end;
}

}  // namespace dla::hotspot
