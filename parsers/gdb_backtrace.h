// Native thread dumps: gdb "thread apply all bt" (also bt full, -frame-arguments all), lldb
// "bt all", pstack/gstack and eu-stack text. See ../shared/FORMATS.md and testdata/gdb/.
#pragma once

#include <memory>

#include "parsers/parser.h"

namespace dla {

std::unique_ptr<Parser> make_gdb_backtrace_parser();

}  // namespace dla
