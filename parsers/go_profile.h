// Go's aggregated goroutine profile: /debug/pprof/goroutine?debug=1 (runtime/pprof
// printCountProfile) and Go 1.26's /debug/pprof/goroutineleak?debug=1. Records of identical
// stacks with a count, no goroutine ids, no states, no arguments:
//   goroutine profile: total 5
//   1 @ 0x43b256 0x44c0de …
//   # labels: {"k":"v"}
//   #	0x47cd24	sync.(*Mutex).lockSlow+0x164
//   /usr/lib/go-1.19/src/sync/mutex.go:171
// Each record becomes one task "@N" (its position) with `count`.
#pragma once

#include <memory>

#include "parsers/parser.h"

namespace dla {

std::unique_ptr<Parser> make_go_profile_parser();

}  // namespace dla
