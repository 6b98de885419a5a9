// The report as HTML: one self-contained page (inline SVG laid out by Graphviz in-process, a small
// stylesheet, no script, nothing fetched), the dump's text kept as text, and a page that headless
// Chromium really draws: a screenshot that is not blank and shows the picture's colours.
#include <catch2/catch.hpp>

#include <cstdlib>

#include <fmt/format.h>

#include "cli_run.h"
#include "deadlock_dumps.h"
#include "graph/diagnostics.h"
#include "png.h"
#include "render/chart.h"
#include "render/palette.h"

using namespace dla;
using namespace dla::test;

namespace {

const std::string kGoRoot = "/tmp/dlanalyze-go=" + testdata("go/programs");

std::string html_report(std::vector<std::string> args, const std::string& name) {
  std::string path = scratch_dir() + "/" + name;
  args.insert(args.begin(), "report");
  args.insert(args.end(), {"-o", path});
  CliRun r = cli_run(args);
  REQUIRE(r.code != 2);
  return path;
}

bool ci() {
  const char* value = std::getenv("CI");
  return value != nullptr && std::string(value) == "true";
}

std::string chromium(const std::string& what, const std::string& page) {
  return "timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic "
         "--no-first-run --disable-background-networking --disable-component-update "
         "--disable-sync --user-data-dir=\"$(mktemp -d)\" " +
         what + " 'file://" + page + "' 2>/dev/null";
}

// Pixels within `tolerance` of the colour "#rrggbb".
size_t pixels_of(const Image& image, std::string_view hex, int tolerance = 3) {
  int want[3];
  for (int k = 0; k < 3; ++k)
    want[k] = std::stoi(std::string(hex.substr(1 + 2 * k, 2)), nullptr, 16);
  size_t n = 0;
  for (size_t p = 0; p < image.rgb.size(); p += 3) {
    bool close = true;
    for (int k = 0; k < 3; ++k) close &= std::abs(image.rgb[p + k] - want[k]) <= tolerance;
    n += close;
  }
  return n;
}

}  // namespace

TEST_CASE("HtmlReportIsOneSelfContainedPage") {
  std::string html = read_file(html_report(
      {testdata("go/server_cycle2.debug2.txt"), "--source-root", kGoRoot}, "server_cycle2.html"));
  CHECK(html.rfind("<!DOCTYPE html>\n<html lang=\"en\">", 0) == 0);
  CHECK(html.find("<title>Postmortem: deadlock of goroutine 21 and goroutine 22 on billing.mu and "
                  "inventory.mu</title>") != std::string::npos);
  CHECK(html.find("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">") !=
        std::string::npos);
  CHECK(html.find("@media print") != std::string::npos);
  CHECK(html.find("@media (max-width:40rem)") != std::string::npos);
  // The picture inline, drawn by Graphviz; the tables through the GFM extension.
  CHECK(html.find("<figure class=\"dla-graph\"><svg") != std::string::npos);
  CHECK(html.find("<title>t2</title>") != std::string::npos);
  CHECK(html.find("```dot") == std::string::npos);
  CHECK(html.find("<table>") != std::string::npos);
  CHECK(html.find("<th>Goroutine</th>") != std::string::npos);
  CHECK(html.find("<h2>6. Root cause</h2>") != std::string::npos);
  // Offline: no script, no stylesheet, font or image from elsewhere.
  for (const char* outside : {"<script", " src=", "href=\"http", "@import", "url(", "<link"}) {
    CHECK(html.find(outside) == std::string::npos);
  }
}

TEST_CASE("HtmlReportOfEveryDeadlockDumpDrawsItsCycle") {
  for (const DeadlockDump& dump : deadlock_dumps()) {
    DYNAMIC_SECTION(dump.file) {
      std::string html = read_file(html_report(dump_arguments(dump), "dump.html"));
      CHECK(html.find("<figure class=\"dla-graph\"><svg") != std::string::npos);
      CHECK(html.find("could not be drawn") == std::string::npos);
      CHECK(html.find("Cycle 1: " + dump.pattern) != std::string::npos);
    }
  }
}

TEST_CASE("HtmlReportKeepsTheDumpsTextAsText") {
  // worker-a renamed to markup: it must show as those characters, never run or format.
  std::string dump = read_file(testdata("jvm/monitor_cycle.jstack-l.txt"));
  const std::string name = "<script>alert(1)</script>*x*|`y`";
  for (size_t at = dump.find("\"worker-a\""); at != std::string::npos;
       at = dump.find("\"worker-a\"", at + 1)) {
    dump.replace(at, 10, "\"" + name + "\"");
  }
  std::string html = read_file(html_report({write_scratch("markup.txt", dump)}, "markup.html"));
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("<em>x</em>") == std::string::npos);
  CHECK(html.find("thread &quot;&lt;script&gt;alert(1)&lt;/script&gt;*x*|`y`&quot;") !=
        std::string::npos);
}

TEST_CASE("HtmlReportOfSeveralSnapshotsChartsTheTimeline") {
  // jvm_kill3_twice: the leaking ingest pool (10 → 20 threads) and every thread (30 → 40).
  std::string html = read_file(
      html_report({testdata("series/jvm_kill3_twice/kill3-twice.stdout.txt")}, "timeline.html"));
  size_t chart = html.find("<title>Counts per group per snapshot</title>");
  REQUIRE(chart != std::string::npos);
  CHECK(html.rfind("<figure class=\"dla-graph\"><svg", chart) != std::string::npos);
  CHECK(html.find("could not be drawn") == std::string::npos);
  CHECK(html.find("```timeline") == std::string::npos);
  // The leak in the stuck colour, every thread in the groups' colour, each point's count shown.
  CHECK(html.find(fmt::format("stroke=\"{}\" stroke-width=\"2\"", look(Role::kStuck).line),
                  chart) != std::string::npos);
  CHECK(html.find(fmt::format("stroke=\"{}\" stroke-width=\"2\"", look(Role::kGroup).line),
                  chart) != std::string::npos);
  CHECK(html.find(">leak: jdk.internal.misc.Unsafe.park [WAITING (parking)]</text>", chart) !=
        std::string::npos);
  CHECK(html.find(">20</text>", chart) != std::string::npos);
  // And the cycle's picture too.
  CHECK(html.find("<figure class=\"dla-graph\"><svg", html.find("</figure>", chart)) !=
        std::string::npos);
}

TEST_CASE("TimelineBlockReadsBackWhatItWrote") {
  std::vector<TimelineSeries> series = {
      {"leak", "main.fetchQuote main.go:139 [chan send]", {10, 60, 110}},
      {"all", "every goroutine", {21, 71, 121}}};
  std::string block = timeline_block(series, 3);
  CHECK(block ==
        "   #1   #2   #3  group\n"
        "   10   60  110  leak: main.fetchQuote main.go:139 [chan send]\n"
        "   21   71  121  all: every goroutine\n");
  std::vector<TimelineSeries> back = parse_timeline_block(block);
  REQUIRE(back.size() == 2);
  CHECK(back[0].kind == "leak");
  CHECK(back[0].label == "main.fetchQuote main.go:139 [chan send]");
  CHECK(back[0].counts == std::vector<uint64_t>{10, 60, 110});
  CHECK(back[1].counts == std::vector<uint64_t>{21, 71, 121});
  std::string svg = timeline_svg(back);
  CHECK(svg.rfind("<svg", 0) == 0);
  CHECK(svg.find("<polyline") != std::string::npos);
  // A block it did not write is an error (the page then says the chart could not be drawn).
  CHECK_THROWS_AS(parse_timeline_block("   #1   #2  group\n   1  x  leak: a\n"), Error);
  CHECK_THROWS_AS(parse_timeline_block("   #1   #2  group\n   1   2  no kind\n"), Error);
  CHECK_THROWS_AS(parse_timeline_block(""), Error);
}

TEST_CASE("HtmlReportRendersInHeadlessChromium") {
  if (!have_program("chromium")) {
    // On CI the browser is installed (.ci/run): its absence is a failure there, not a skip.
    if (ci()) FAIL("chromium is not installed, and CI=true: .ci/run installs it");
    WARN("chromium is not installed: the page was not rendered (apt-get install chromium)");
    return;
  }
  std::string page = html_report(
      {testdata("go/server_cycle2.debug2.txt"), "--source-root", kGoRoot}, "chromium.html");
  std::string png = scratch_dir() + "/chromium.png";
  CliRun shot = shell(chromium("--screenshot='" + png + "' --window-size=1200,2000", page));
  CHECK(shot.code == 0);
  std::optional<Image> image = read_png(read_file(png));
  REQUIRE(image.has_value());
  CHECK(image->width == 1200);
  CHECK(image->height == 2000);
  // Not blank: text, tables and the picture darken a good part of the page.
  size_t ink = 0;
  for (size_t p = 0; p < image->rgb.size(); p += 3) {
    ink += image->rgb[p] < 200 || image->rgb[p + 1] < 200 || image->rgb[p + 2] < 200;
  }
  CHECK(ink > image->rgb.size() / 3 / 50);
  // The SVG was drawn: its cycle boxes and lock ellipses are filled with the palette's colours,
  // which nothing else on the page uses.
  CHECK(pixels_of(*image, look(Role::kCycle).fill) > 1000);
  CHECK(pixels_of(*image, look(Role::kCycleLock).fill) > 1000);
  // And the DOM after rendering holds the SVG's nodes.
  CliRun dom = shell(chromium("--dump-dom", page));
  CHECK(dom.out.find("<svg") != std::string::npos);
  CHECK(dom.out.find("class=\"node\"") != std::string::npos);
}
