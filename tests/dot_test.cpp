// --output-format dot on every deadlock dump of every format: Graphviz's own `dot -Tsvg` renders
// it, the picture names the cycle's members and locks, cycle members look as the palette says,
// waiters behind a cycle are grey and bunched, and a 100,000-goroutine dump draws as a handful of
// nodes.
#include <catch2/catch.hpp>

#include <regex>

#include "cli_run.h"
#include "deadlock_dumps.h"
#include "render/escape.h"
#include "render/palette.h"

using namespace dla;
using namespace dla::test;

namespace {

// The text of an SVG as Graphviz escapes it, back to plain characters.
std::string svg_text(std::string svg) {
  for (auto [from, to] : {std::pair{"&quot;", "\""},
                          {"&#45;", "-"},
                          {"&#39;", "'"},
                          {"&lt;", "<"},
                          {"&gt;", ">"},
                          {"&#160;", " "},
                          {"&amp;", "&"}}) {
    for (size_t at = svg.find(from); at != std::string::npos; at = svg.find(from, at)) {
      svg.replace(at, std::string(from).size(), to);
      at += std::string(to).size();
    }
  }
  return svg;
}

// The DOT line of the node whose label starts with `label` (a task's first label line).
std::string node_line(const std::string& dot, const std::string& label) {
  std::string key = "label=" + dot_quote(label).substr(0, dot_quote(label).size() - 1);
  size_t at = dot.find(key);
  if (at == std::string::npos) return "";
  size_t start = dot.rfind('\n', at) + 1;
  return dot.substr(start, dot.find('\n', at) - start);
}

CliRun svg_of(const std::string& dot) {
  std::string path = write_scratch("picture.dot", dot);
  return shell("dot -Tsvg '" + path + "' 2>&1");
}

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("DotOfEveryDeadlockDumpRendersWithGraphvizAndNamesTheCycle") {
  REQUIRE(have_program("dot"));
  const std::string red = std::string(look(Role::kCycle).line);
  for (const DeadlockDump& dump : deadlock_dumps()) {
    DYNAMIC_SECTION(dump.file) {
      std::vector<std::string> args = dump_arguments(dump);
      args.insert(args.end(), {"--output-format", "dot"});
      CliRun r = cli_run(args);
      CHECK(r.code == 1);
      for (const Member& m : dump.members) {
        // Each member is a red box, and waits on a red-outlined lock named as in the ground truth.
        std::string line = node_line(r.out, m.task);
        INFO(m.task);
        CHECK(line.find("shape=box") != std::string::npos);
        CHECK(line.find("color=\"" + red + "\"") != std::string::npos);
        CHECK(line.find(m.at) != std::string::npos);
        CHECK(r.out.find(m.waits) != std::string::npos);
      }
      CliRun svg = svg_of(r.out);
      CHECK(svg.code == 0);
      std::string text = svg_text(svg.out);
      CHECK(text.rfind("<?xml", 0) == 0);
      for (const Member& m : dump.members)
        CHECK(text.find(">" + m.task + "<") != std::string::npos);
    }
  }
}

TEST_CASE("DotDrawsWaitsDashedAndHoldsSolidWithTheirEvidence") {
  CliRun r = cli_run({testdata("go/server_cycle2.debug2.txt"), "--source-root",
                      "/tmp/dlanalyze-go=" + testdata("go/programs"), "--output-format", "dot"});
  // goroutine 21 (t2) waits for billing.mu (r1), which goroutine 22 (t3) took at main.go:54.
  CHECK(r.out.find("t2 -> r1 [style=dashed, color=\"#c62828\", fontcolor=\"#c62828\", "
                   "penwidth=2, label=\"waits · frame argument\"];") != std::string::npos);
  CHECK(r.out.find("r1 -> t3 [style=solid, color=\"#c62828\", fontcolor=\"#c62828\", penwidth=2, "
                   "label=\"held · inferred from source\\ntaken at main.go:54\"];") !=
        std::string::npos);
  CHECK(r.out.find("label=\"billing.mu\\nmutex 0x8fda80\"") != std::string::npos);
  // The other three goroutines: one node per group of identical stacks, not in the cycle.
  CHECK(r.out.find("label=\"other 3 goroutines, by identical stack\"") != std::string::npos);
  CHECK(r.out.find("g1 [shape=box3d") != std::string::npos);
  // A lock record belongs to the holding frame, whose line is where it is now, not where it took
  // the lock: the picture says "in", not "taken at".
  CliRun jvm = cli_run({testdata("jvm/monitor_cycle.jstack-l.txt"), "--output-format", "dot"});
  CHECK(jvm.out.find("label=\"held · lock record\\nin MonitorCycle.java:39\"") !=
        std::string::npos);
}

TEST_CASE("DotBunchesWaitersBehindACycleAndPaintsThemGrey") {
  // big_cycle_3000: blocked-behind-0..4 wait at BigCycle3000.java:69 for Inventory, held by
  // cycle-a: one grey node with their count, and one dashed edge to the lock.
  CliRun r = cli_run({testdata("jvm/big_cycle_3000.jstack-l.txt"), "--output-format", "dot"});
  std::string grey = std::string(look(Role::kBlocked).line);
  std::string bunch = node_line(r.out, "5 threads");
  CHECK(bunch.find("blocked-behind-0, blocked-behind-1, blocked-behind-2, …") != std::string::npos);
  CHECK(bunch.find("color=\"" + grey + "\"") != std::string::npos);
  CHECK(bunch.find("BigCycle3000.checkStock BigCycle3000.java:69") != std::string::npos);
  CHECK(count(r.out, "-> r6 [style=dashed, color=\"" + grey + "\"") == 1);
  // The 3,013 other threads in at most 10 group nodes and one "more" node.
  CHECK(count(r.out, "shape=box3d") <= 11);
  // rwlock (gdb): writer-2 and main, one each, grey; main waits on the join of thread 2.
  CliRun g = cli_run({testdata("gdb/rwlock.gdb-full.txt"), "--source-root",
                      testdata("gdb/programs"), "--output-format", "dot"});
  CHECK(node_line(g.out, "thread 4 \"writer-2\"").find(grey) != std::string::npos);
  CHECK(node_line(g.out, "thread 1 \"rwlock\"").find(grey) != std::string::npos);
}

TEST_CASE("DotPaintsStuckWaitersOrangeWithTheirPattern") {
  CliRun r = cli_run({testdata("go/channels.debug2.txt"), "--output-format", "dot"});
  CHECK(r.code == 1);
  std::string orange = std::string(look(Role::kStuck).line);
  std::string nil = node_line(r.out, "goroutine 19");
  CHECK(nil.find(orange) != std::string::npos);
  CHECK(nil.find("main.(*Watcher).run main.go:33\\nwaits forever: channel with no partner") !=
        std::string::npos);
  CHECK(node_line(r.out, "goroutine 20").find("select {} (blocks forever)") != std::string::npos);
  CHECK(svg_of(r.out).code == 0);
}

TEST_CASE("DotOfACleanDumpIsGroupsOnly") {
  CliRun r = cli_run({testdata("jvm/idle_pool.jstack-l.txt"), "--output-format", "dot"});
  CHECK(r.code == 0);
  CHECK(r.out.find(look(Role::kCycle).line) == std::string::npos);
  CHECK(r.out.find("label=\"200 threads · WAITING (parking)\\n") != std::string::npos);
  CHECK(svg_of(r.out).code == 0);
}

TEST_CASE("DotOfAHundredThousandGoroutinesIsAHandfulOfNodes") {
  // server_cycle2's dump with 100,000 more goroutines parked at one channel send (the record of
  // leak's goroutine 19, renumbered): the cycle in full, the rest one group node.
  std::string dump = read_file(testdata("go/server_cycle2.debug2.txt"));
  std::string leak = read_file(testdata("go/leak.debug2.txt"));
  size_t start = leak.find("goroutine 19 [chan send]:");
  std::string record = leak.substr(start, leak.find("\n\n", start) - start);
  record = record.substr(record.find('\n'));
  dump.reserve(dump.size() + 100000 * (record.size() + 40));
  for (int id = 1000; id < 101000; ++id) {
    dump += "\n\ngoroutine " + std::to_string(id) + " [chan send]:" + record;
  }
  std::string path = write_scratch("big.debug2.txt", dump);
  // Only server_cycle2's source at hand: the senders are neither stuck nor suspects, one group.
  CliRun r = cli_run({path, "--source-root",
                      "/tmp/dlanalyze-go/server_cycle2=" + testdata("go/programs/server_cycle2"),
                      "--output-format", "dot"});
  CHECK(r.code == 1);
  CHECK(
      r.out.find("label=\"100000 goroutines · chan send\\nmain.(*Notifier).notify main.go:30\"") !=
      std::string::npos);
  CHECK(count(r.out, "[shape=") < 12);
  CHECK(node_line(r.out, "goroutine 21").find(look(Role::kCycle).line) != std::string::npos);
  CHECK(svg_of(r.out).code == 0);
  // leak's source too: no receive of their channel can still run (graph/go_stuck), so the
  // 100,000 can never wake: one node in the stuck look, with their count and abbreviated ids.
  CliRun all = cli_run({path, "--source-root", "/tmp/dlanalyze-go=" + testdata("go/programs"),
                        "--output-format", "dot"});
  CHECK(all.code == 1);
  std::string stuck = node_line(all.out, "100000 goroutines");
  CHECK(stuck.find("label=\"100000 goroutines\\n1000, 1001, 1002, …\\nchan send\\n"
                   "main.(*Notifier).notify main.go:30\\nwaits forever: channel with no partner"
                   "\\n(inferred from the source)") != std::string::npos);
  CHECK(stuck.find(look(Role::kStuck).line) != std::string::npos);
  CHECK(count(all.out, "[shape=") < 12);
  CHECK(svg_of(all.out).code == 0);
}

TEST_CASE("DotQuotesWhatTheDumpNames") {
  // worker-a renamed to something DOT (a \r line break, a record's | and {}) and HTML-like
  // labels (<b>) would read as syntax: it must come out as the same characters.
  const std::string name = R"(wo\rker<b>{x}|y)";
  std::string dump = read_file(testdata("jvm/monitor_cycle.jstack-l.txt"));
  for (size_t at = dump.find("\"worker-a\""); at != std::string::npos;
       at = dump.find("\"worker-a\"", at + 1)) {
    dump.replace(at, 10, "\"" + name + "\"");
  }
  std::string path = write_scratch("quoted.txt", dump);
  CliRun r = cli_run({path, "--output-format", "dot"});
  CHECK(r.code == 1);
  CliRun svg = svg_of(r.out);
  CHECK(svg.code == 0);
  CHECK(svg_text(svg.out).find(">thread \"" + name + "\"<") != std::string::npos);
}

TEST_CASE("PaletteIsOneTableForTextDotAndHtml") {
  // A cycle member: red and bold in the terminal, a red bold box in DOT, .dla-cycle in HTML.
  const Look& cycle = look(Role::kCycle);
  CliRun text = cli_run({testdata("jvm/monitor_cycle.jstack-l.txt"), "--color=always"});
  CHECK(text.out.find(paint(Role::kCycle, "thread \"worker-a\"", true)) != std::string::npos);
  CHECK(paint(Role::kCycle, "x", true) != "x");
  CliRun dot = cli_run({testdata("jvm/monitor_cycle.jstack-l.txt"), "--output-format", "dot"});
  CHECK(node_line(dot.out, "thread \"worker-a\"")
            .find(fmt::format("shape={}, style=\"filled,{}\", color=\"{}\", fillcolor=\"{}\"",
                              cycle.shape, cycle.style, cycle.line, cycle.fill)) !=
        std::string::npos);
  // The HTML page: the picture's SVG in the same colours, and the verdict in the cycle's.
  CliRun html = cli_run({"report", testdata("jvm/monitor_cycle.jstack-l.txt"), "-o",
                         scratch_dir() + "/palette.html"});
  std::string page = read_file(scratch_dir() + "/palette.html");
  CHECK(page.find(fmt::format("h1{{border-bottom-color:{}}}", cycle.line)) != std::string::npos);
  CHECK(page.find(fmt::format("fill=\"{}\" stroke=\"{}\"", cycle.fill, cycle.line)) !=
        std::string::npos);
  for (const Look& l : all_looks()) CHECK(&look(l.role) == &l);
}
