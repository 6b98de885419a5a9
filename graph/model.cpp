#include "graph/model.h"

namespace dla {

const char* to_string(ResourceKind kind) {
  switch (kind) {
    case ResourceKind::kMutex:
      return "mutex";
    case ResourceKind::kRwlock:
      return "rwlock";
    case ResourceKind::kMonitor:
      return "monitor";
    case ResourceKind::kOwnableSynchronizer:
      return "ownable_synchronizer";
    case ResourceKind::kCondition:
      return "condition";
    case ResourceKind::kChannel:
      return "channel";
    case ResourceKind::kWaitgroup:
      return "waitgroup";
    case ResourceKind::kSemaphore:
      return "semaphore";
    case ResourceKind::kSelect:
      return "select";
    case ResourceKind::kIo:
      return "io";
    case ResourceKind::kSleep:
      return "sleep";
    case ResourceKind::kUnknown:
      return "unknown";
  }
  return "unknown";
}

const char* to_string(Evidence evidence) {
  switch (evidence) {
    case Evidence::kDeclared:
      return "declared";
    case Evidence::kLockRecord:
      return "lock_record";
    case Evidence::kMemory:
      return "memory";
    case Evidence::kArgument:
      return "argument";
    case Evidence::kSource:
      return "source";
    case Evidence::kInferred:
      return "inferred";
  }
  return "inferred";
}

}  // namespace dla
