// glibc / libstdc++ / macOS libpthread knowledge as tables: which native frames mean "waits on a
// mutex, rwlock, condition, semaphore, thread join", and where the lock's address is.
#pragma once

namespace dla::glibc {}  // namespace dla::glibc
