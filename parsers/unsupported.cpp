#include "parsers/unsupported.h"

#include <re2/re2.h>

#include <array>
#include <memory>
#include <vector>

#include <fmt/format.h>

#include "parsers/line_reader.h"

namespace dla {

namespace {

// A line that gives a format away (matched against the whole line, blanks trimmed), and how many
// such lines make it certain: one for a banner no other format prints, two for a line shape.
struct Tell {
  const char* pattern;
  int needed;
  const char* needs = "";  // a substring every matching line has: most lines never reach RE2
};

struct Row {
  UnsupportedFormat format;
  std::array<Tell, 4> tells;  // unused slots have a null pattern
};

// One row per format; each tell's comment shows a line it matches.
const std::array<Row, 6> kRows = {{
    {{"jrockit", "a JRockit thread dump (BEA/Oracle JRockit)",
      "JRockit prints threads and locks in a notation of its own, which dlanalyze does not read",
      "run the program on a HotSpot JVM (OpenJDK, Oracle JDK) and capture 'jstack -l PID'"},
     {{
         {R"(===== FULL THREAD DUMP =+)", 1, "FULL THREAD DUMP"},  // the dump's first line
         {R"(.*(BEA|Oracle) JRockit\(R\).*)", 1,
          "JRockit"},  // "BEA JRockit(R) R26.4.0-63_CR302700-…"
         // "\"Main Thread\" id=1 idx=0x2 tid=1256 prio=5 alive, in native, waiting",
         // "\"Main Thread\" prio=5 id=0x80 tid=0xf7c waiting" (R26 on JDK 1.4)
         {R"re("[^"]*" (prio=\d+ )?id=(0x)?[0-9A-Fa-f]+ (idx=0x[0-9A-Fa-f]+ )?tid=.*)re", 2,
          " id="},
         {R"(-- end of trace|--- End of stack trace)", 2, "of "},
     }}},
    {{"android", "an Android ANR trace (ART/Dalvik \"DALVIK THREADS\", /data/anr/traces.txt)",
      "Android's thread and lock lines are not HotSpot's, and dlanalyze does not read them",
      "dlanalyze reads HotSpot dumps: capture 'jstack -l PID' where the code runs on a JVM"},
     {{
         {R"(DALVIK THREADS( \(\d+\))?:)", 1, "DALVIK"},  // "DALVIK THREADS (51):"
         {R"(----- pid \d+ at .* -----)", 1,
          "----- pid "},                        // "----- pid 1082 at 2011-03-01 12:00:00 -----"
         {R"(\| (group|sysTid)=.*)", 2, "| "},  // "  | group=\"main\" sCount=1 dsCount=0 …"
         {nullptr, 0},
     }}},
    {{"threadinfo", "text printed by java.lang.management.ThreadInfo.toString()",
      "it shows at most 8 frames of each thread and no deadlock report, so a cycle can be missed",
      "capture 'jstack -l PID' or 'jcmd PID Thread.print -l' instead"},
     {{
         // "\"worker-4\" Id=13 BLOCKED on java.lang.Object@32a88bc2 owned by \"worker-0\" Id=9",
         // JDK 9+: "\"main\" prio=5 Id=1 RUNNABLE"
         {R"re("[^"]*" (daemon )?(prio=\d+ )?Id=\d+ (NEW|RUNNABLE|BLOCKED|WAITING|TIMED_WAITING|TERMINATED)\b.*)re",
          1, " Id="},
         {R"(-  (blocked on|waiting on|locked) .*)", 2,
          "-  "},  // "-  blocked on java.lang.Object@32a88bc2"
         {nullptr, 0},
         {nullptr, 0},
     }}},
    {{"jmx",
      "a thread dump taken through JMX (VisualVM's remote thread dump, a ThreadMXBean printout)",
      "it is not the JVM's own dump: HotSpot's lock lines and deadlock report are missing or "
      "spelled differently",
      "capture 'jstack -l PID' or 'jcmd PID Thread.print -l' on the JVM's host instead"},
     {{
         {R"re("[^"]*" - Thread t@\d+.*)re", 1,
          " - Thread t@"},  // VisualVM: "\"Timer-180\" - Thread t@332"
         {R"re("[^"]*" [Ii]d=\d+ in [A-Z_]+.*)re", 1, "d="},  // "\"RMI TCP …\" id=3149 in RUNNABLE"
         {R"(Locked synchronizers: count = \d+.*)", 1,
          "count = "},  // "Locked synchronizers: count = 1"
         {nullptr, 0},
     }}},
    {{"intellij", "an IntelliJ IDEA deadlock report",
      "it names the deadlocked threads in prose, without the JVM's lock records",
      "give dlanalyze the thread dump the IDE saved with it, or capture 'jstack -l PID' of the "
      "IDE"},
     {{
         {R"(Java-level deadlock has been detected)", 1, "has been"},
         {nullptr, 0},
         {nullptr, 0},
         {nullptr, 0},
     }}},
    {{"pstack-solaris", "a Solaris/illumos pstack listing",
      "its frames are raw addresses and arguments, without the lock functions dlanalyze reads",
      "capture gdb -p PID -batch -ex 'thread apply all bt' instead"},
     {{
         // " 08051cc5 cat      (806b2c0, 8047adc, 8047b6c, 8052819) + 7e"
         {R"([0-9a-f]{8,16} \S+ *\(.*\)( \+ [0-9a-f]+)?)", 2, " ("},
         {nullptr, 0},
         {nullptr, 0},
         {nullptr, 0},
     }}},
}};

struct CompiledRow {
  const Row* row;
  std::vector<std::unique_ptr<RE2>> tells;
};

const std::vector<CompiledRow>& compiled_rows() {
  static const auto* rows = [] {
    auto* out = new std::vector<CompiledRow>();
    for (const Row& row : kRows) {
      CompiledRow c{&row, {}};
      for (const Tell& tell : row.tells) {
        if (tell.pattern != nullptr) c.tells.push_back(std::make_unique<RE2>(tell.pattern));
      }
      out->push_back(std::move(c));
    }
    return out;
  }();
  return *rows;
}

}  // namespace

std::optional<UnsupportedMatch> recognise_unsupported(std::string_view prefix) {
  const auto& rows = compiled_rows();
  std::vector<std::vector<int>> seen(rows.size());
  std::vector<uint32_t> first_line(rows.size(), 0);
  for (size_t r = 0; r < rows.size(); ++r) seen[r].assign(rows[r].tells.size(), 0);
  LineReader lines(prefix);
  std::string_view line;
  while (lines.next(line)) {
    std::string_view t = trim(line);
    if (t.size() < 8) continue;  // no tell is that short
    for (size_t r = 0; r < rows.size(); ++r) {
      for (size_t k = 0; k < rows[r].tells.size(); ++k) {
        const Tell& tell = rows[r].row->tells[k];
        if (t.find(tell.needs) == std::string_view::npos) continue;
        if (!RE2::FullMatch(t, *rows[r].tells[k])) continue;
        if (first_line[r] == 0) first_line[r] = lines.line_number();
        if (++seen[r][k] >= tell.needed) {
          return UnsupportedMatch{&rows[r].row->format, first_line[r]};
        }
      }
    }
  }
  return std::nullopt;
}

std::string refusal_message(std::string_view input_name, const UnsupportedMatch& match) {
  return fmt::format("{}:{}: {}: not supported ({}); {}", input_name, match.line,
                     match.format->looks_like, match.format->why, match.format->instead);
}

}  // namespace dla
