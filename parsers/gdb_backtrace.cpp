#include "parsers/gdb_backtrace.h"

namespace dla {

namespace {

// Placeholder until the native-dump parser lands: claims nothing.
class GdbBacktraceParser : public Parser {
 public:
  std::string_view name() const override { return "gdb"; }
  std::string_view description() const override {
    return "gdb 'thread apply all bt', lldb 'bt all', pstack, eu-stack (not yet supported)";
  }
  int probe(std::string_view) const override { return 0; }
  void parse(const Input& input, SnapshotBuilder&) const override {
    throw Error(input.name + ": native thread dumps are not supported yet");
  }
};

}  // namespace

std::unique_ptr<Parser> make_gdb_backtrace_parser() {
  return std::make_unique<GdbBacktraceParser>();
}

}  // namespace dla
