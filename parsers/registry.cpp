#include "parsers/registry.h"

#include <fmt/format.h>

#include "parsers/elf_core.h"

#include <algorithm>
#include <optional>
#include <utility>
#include "parsers/gdb_backtrace.h"
#include "parsers/go_profile.h"
#include "parsers/go_traceback.h"
#include "parsers/jvm_json_dump.h"
#include "parsers/jvm_sa_dump.h"
#include "parsers/jvm_thread_dump.h"
#include "parsers/line_reader.h"
#include "parsers/openj9_javacore.h"
#include "parsers/unpaste.h"
#include "parsers/unsupported.h"

namespace dla {

const std::vector<std::unique_ptr<Parser>>& all_parsers() {
  static const auto* parsers = [] {
    auto* list = new std::vector<std::unique_ptr<Parser>>();
    list->push_back(make_jvm_thread_dump_parser());
    list->push_back(make_jvm_sa_dump_parser());
    list->push_back(make_jvm_json_dump_parser());
    list->push_back(make_openj9_javacore_parser());
    list->push_back(make_gdb_backtrace_parser());
    list->push_back(make_go_traceback_parser());
    list->push_back(make_go_profile_parser());
    list->push_back(make_elf_core_parser());
    return list;
  }();
  return *parsers;
}

const Parser* find_parser(std::string_view name) {
  for (const auto& parser : all_parsers()) {
    if (parser->name() == name) return parser.get();
  }
  return nullptr;
}

namespace {

std::string known_format_names() {
  std::string names;
  for (const auto& parser : all_parsers()) {
    if (!names.empty()) names += ", ";
    names += parser->name();
  }
  return names;
}

// Cores and dumps are often stored compressed (systemd-coredump, log rotation): name the
// compression and the command that undoes it.
std::optional<std::pair<std::string, std::string>> compressed_as(std::string_view bytes) {
  auto starts = [&](std::string_view magic) { return bytes.substr(0, magic.size()) == magic; };
  if (starts(std::string_view("\xfd"
                              "7zXZ\0",
                              6)))
    return std::pair{"xz", "xz -dk FILE"};
  if (starts("\x28\xb5\x2f\xfd")) return std::pair{"zstd", "zstd -d FILE"};
  if (starts("\x1f\x8b")) return std::pair{"gzip", "gzip -dk FILE"};
  if (starts("BZh")) return std::pair{"bzip2", "bzip2 -dk FILE"};
  if (starts("\x04\x22\x4d\x18")) return std::pair{"lz4", "lz4 -d FILE"};
  return std::nullopt;
}

// The first line of the input that is not blank, shortened and made printable, to show what was
// found instead.
std::string first_line_excerpt(std::string_view bytes, uint32_t& line_number) {
  LineReader lines(bytes);
  std::string_view line;
  while (lines.next(line) && trim(line).empty()) {
  }
  line_number = std::max<uint32_t>(lines.line_number(), 1);
  std::string out;
  for (char c : line.substr(0, 60)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  if (line.size() > 60) out += "...";
  return out;
}

}  // namespace

std::vector<Snapshot> read_snapshots(const Input& input, const ParseOptions& options) {
  std::string_view forced_format = options.format;
  if (input.bytes.empty()) throw Error(fmt::format("{}: empty input", input.name));
  std::string_view raw_prefix = input.bytes.substr(0, kProbeBytes);

  // Text is read as the runtime printed it: decoded from UTF-16, out of its quotes, fences and
  // indentation (parsers/unpaste.h); a core is read as it is. Line numbers stay the file's.
  UnpastedText text;
  if (describe_non_core_elf(raw_prefix) || find_parser("core")->probe(raw_prefix) > 0 ||
      compressed_as(raw_prefix)) {
    text.text = input.bytes;
  } else {
    text = unpaste(input.bytes);
  }
  const Input unpasted{input.name, text.text};
  std::string_view prefix = unpasted.bytes.substr(0, kProbeBytes);

  const Parser* chosen = nullptr;
  if (!forced_format.empty()) {
    chosen = find_parser(forced_format);
    if (chosen == nullptr) {
      throw Error(fmt::format("unknown input format '{}' (known: {})", forced_format,
                              known_format_names()));
    }
  } else {
    int best = 0;
    for (const auto& parser : all_parsers()) {
      int confidence = parser->probe(prefix);
      if (confidence > best) {
        best = confidence;
        chosen = parser.get();
      }
    }
    // A format dlanalyze does not read, recognised by lines no supported format prints: refused
    // whatever a probe thought (a JRockit header carries tid=, a JMX dump "Full thread dump").
    if (auto unsupported = recognise_unsupported(prefix)) {
      throw Error(refusal_message(input.name, *unsupported));
    }
    if (chosen == nullptr) {
      if (auto what = describe_non_core_elf(raw_prefix)) {
        throw Error(fmt::format("{}: {}", input.name, *what));
      }
      if (auto compression = compressed_as(raw_prefix)) {
        throw Error(fmt::format("{}: {}-compressed: decompress it first ({})", input.name,
                                compression->first, compression->second));
      }
      if (size_t nul = raw_prefix.find('\0'); nul != std::string_view::npos &&
                                              text.encoding != TextEncoding::kUtf16Le &&
                                              text.encoding != TextEncoding::kUtf16Be) {
        throw Error(
            fmt::format("{}: binary data at byte offset {}: not a thread dump", input.name, nul));
      }
      uint32_t line = 1;
      std::string excerpt = first_line_excerpt(prefix, line);
      throw Error(
          fmt::format("{}:{}: not a recognised dump (starts with '{}'); known formats: {}; "
                      "use --input-format to force one",
                      input.name, line, excerpt, known_format_names()));
    }
  }

  std::vector<Snapshot> snapshots(1);
  snapshots[0].source = input.name;
  snapshots[0].format = std::string(chosen->name());
  snapshots[0].bytes = input.bytes.size();
  SnapshotBuilder builder(snapshots);
  chosen->parse(chosen->name() == "core" ? input : unpasted, options, builder);
  return snapshots;
}

Snapshot read_snapshot(const Input& input, const ParseOptions& options) {
  std::vector<Snapshot> snapshots = read_snapshots(input, options);
  Snapshot last = std::move(snapshots.back());
  if (snapshots.size() > 1) {
    last.warnings.insert(
        last.warnings.begin(),
        {fmt::format("{}:{}", input.name, last.first_line),
         fmt::format("the input holds {} dumps; the last, which starts here, was analysed "
                     "('dlanalyze diff {}' compares them)",
                     snapshots.size(), input.name)});
  }
  return last;
}

}  // namespace dla
