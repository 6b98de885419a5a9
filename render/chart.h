// The report's timeline across snapshots (`dlanalyze report snap1 snap2 …`): a ```timeline block
// of the Markdown, counts per group per snapshot in aligned columns, drawn as an inline SVG line
// chart in the HTML page. The block is the data: readable as text in the Markdown, parsed back
// here, so that the HTML is still made from the Markdown alone.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dla {

// One line of the chart: a kind ("leak", "grown", "shrunk", "all": its colour, by the palette's
// roles) and what it counts, with one count per snapshot.
struct TimelineSeries {
  std::string kind, label;
  std::vector<uint64_t> counts;
};

// The block's text: a header "#1 #2 … group", then a row per series, counts first, then
// "kind: label".
std::string timeline_block(const std::vector<TimelineSeries>& series, size_t snapshots);

// The block's text read back; throws dla::Error on a block it did not write.
std::vector<TimelineSeries> parse_timeline_block(std::string_view block);

// The chart, from "<svg" on: one polyline per series over the snapshots, each point labelled
// with its count, a legend under it. Self-contained (no fonts or scripts fetched).
std::string timeline_svg(const std::vector<TimelineSeries>& series);

}  // namespace dla
