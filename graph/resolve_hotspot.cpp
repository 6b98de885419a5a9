#include "graph/resolve_hotspot.h"

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

bool is_runtime_frame(std::string_view function) {
  for (std::string_view package : kRuntimePackages) {
    if (function.substr(0, package.size()) == package) return true;
  }
  return false;
}

}  // namespace dla::hotspot
