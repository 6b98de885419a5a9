// HotSpot knowledge as tables: what each lock line of a thread dump means, what kind of resource a
// park blocker's class is, and which frames are the JDK's own. The JVM parser tokenizes lines and
// looks their meaning up here; adding a JDK variant means adding a row. Each row is exercised by a
// dump captured with the JDK named in its comment (testdata/jvm/).
#pragma once

#include <optional>
#include <string_view>

#include "graph/model.h"

namespace dla::hotspot {

// What a "\t- <verb> <0x…> (a Class)" line under a frame says about that frame's thread.
enum class LockRole : uint8_t {
  kWaits,        // the thread waits to acquire the object
  kHolds,        // the thread holds the object (acquired in this frame)
  kWaitsNotify,  // Object.wait(): the monitor is released; the thread waits to be notified
  kRelocks,      // a monitor released by wait() in a lower frame: a wait for it only when the
                 // thread is BLOCKED (notified, re-acquiring); never a hold
  kNothing,      // says nothing about ownership (a lock elided by escape analysis)
};

struct LockLineRule {
  std::string_view verb;  // text between "- " and "<" (or the end), trailing spaces trimmed
  LockRole role;
  // Kind of the object named. kUnknown here means "decide from the object's class" (park blockers).
  ResourceKind kind;
};

// The rule for `verb`, or nullptr for a line HotSpot does not print.
const LockLineRule* find_lock_line_rule(std::string_view verb);

// Resource kind of a park blocker or ownable synchronizer, from its class name
// ("java.util.concurrent.locks.ReentrantLock$NonfairSync" → ownable_synchronizer).
ResourceKind kind_of_park_blocker(std::string_view class_name);

// The side of a read/write lock a parked thread asks for, from a JDK frame on its stack
// ("java.util.concurrent.locks.ReentrantReadWriteLock$ReadLock.lock" → shared): true for the read
// side, false for the write side, nullopt for frames that do not say.
std::optional<bool> rwlock_wait_mode(std::string_view function);

// Whether a read/write lock of this park-blocker class makes a new reader queue behind a waiting
// writer (so that the reader waits for the writer too).
bool queues_readers_behind_writers(std::string_view class_name);

// Where a JDK keeps libjvm.so, and how its Serviceability Agent prints the Java threads of a core
// (the only reader of a JVM's own thread structures). The SA must be the same JDK build as the
// core's libjvm.so: it reads the VM's structures at the offsets its own build describes.
struct JdkLayout {
  std::string_view libjvm_suffix;  // the end of libjvm.so's path: the JDK's home is before it
  std::string_view jdk;            // which JDKs lay themselves out so, for messages
  // The command, relative to the JDK's home; "{java}" and "{core}" stand for the executable and
  // the core. Its output is the SA's thread dump (parsers/jvm_sa_dump).
  std::string_view sa_command;
};

// The layout whose libjvm_suffix ends `libjvm_path`, or nullptr.
const JdkLayout* find_jdk_layout(std::string_view libjvm_path);

// True for frames of the JDK itself (java.*, jdk.*, sun.*, …): the first frame that is not is
// where a user looks for the blocking call.
bool is_runtime_frame(std::string_view function);

// The first frame in [begin, end) of the snapshot's frames that is the program's own (not the
// JDK's), or `end` when every one is the runtime's.
uint32_t first_program_frame(const Snapshot& s, uint32_t begin, uint32_t end);

}  // namespace dla::hotspot
