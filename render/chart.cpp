#include "render/chart.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>

#include "graph/diagnostics.h"
#include "render/escape.h"
#include "render/palette.h"

namespace dla {

namespace {

// The colour of each kind of series: the role whose look it shares everywhere else.
struct KindLook {
  std::string_view kind;
  Role role;
};
constexpr std::array kKinds = {
    KindLook{"leak", Role::kStuck},   KindLook{"grown", Role::kUncertain},
    KindLook{"shrunk", Role::kClean}, KindLook{"cycle", Role::kCycle},
    KindLook{"all", Role::kGroup},
};

std::string_view colour_of(std::string_view kind) {
  for (const KindLook& k : kKinds) {
    if (k.kind == kind) return look(k.role).line;
  }
  return look(Role::kGroup).line;
}

std::vector<std::string_view> words_of(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && line[i] == ' ') ++i;
    size_t start = i;
    while (i < line.size() && line[i] != ' ') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

}  // namespace

std::string timeline_block(const std::vector<TimelineSeries>& series, size_t snapshots) {
  size_t width = 4;
  for (const TimelineSeries& s : series) {
    for (uint64_t c : s.counts) width = std::max(width, std::to_string(c).size() + 2);
  }
  std::string out;
  for (size_t p = 0; p < snapshots; ++p)
    out += fmt::format("{:>{}}", fmt::format("#{}", p + 1), width);
  out += "  group\n";
  for (const TimelineSeries& s : series) {
    for (size_t p = 0; p < snapshots; ++p) {
      out += fmt::format("{:>{}}", p < s.counts.size() ? s.counts[p] : 0, width);
    }
    out += fmt::format("  {}: {}\n", s.kind, s.label);
  }
  return out;
}

std::vector<TimelineSeries> parse_timeline_block(std::string_view block) {
  std::vector<TimelineSeries> out;
  size_t snapshots = 0;
  bool header = true;
  while (!block.empty()) {
    size_t end = block.find('\n');
    std::string_view line = block.substr(0, end);
    block = end == std::string_view::npos ? std::string_view() : block.substr(end + 1);
    if (line.find_first_not_of(' ') == std::string_view::npos) continue;
    std::vector<std::string_view> words = words_of(line);
    if (header) {
      for (std::string_view w : words) snapshots += w.size() > 1 && w[0] == '#';
      if (snapshots == 0) throw Error("timeline: no snapshot columns");
      header = false;
      continue;
    }
    if (words.size() < snapshots + 2) throw Error("timeline: a row is short");
    TimelineSeries s;
    for (size_t p = 0; p < snapshots; ++p) {
      uint64_t value = 0;
      auto [ptr, ec] = std::from_chars(words[p].data(), words[p].data() + words[p].size(), value);
      if (ec != std::errc() || ptr != words[p].data() + words[p].size()) {
        throw Error("timeline: a count is not a number");
      }
      s.counts.push_back(value);
    }
    // The rest of the line, from the kind on, as written.
    std::string_view rest = line.substr(static_cast<size_t>(words[snapshots].data() - line.data()));
    size_t colon = rest.find(": ");
    if (colon == std::string_view::npos) throw Error("timeline: a row has no kind");
    s.kind = std::string(rest.substr(0, colon));
    s.label = std::string(rest.substr(colon + 2));
    out.push_back(std::move(s));
  }
  if (header) throw Error("timeline: empty");
  return out;
}

std::string timeline_svg(const std::vector<TimelineSeries>& series) {
  size_t snapshots = 0;
  uint64_t high = 1;
  for (const TimelineSeries& s : series) {
    snapshots = std::max(snapshots, s.counts.size());
    for (uint64_t c : s.counts) high = std::max(high, c);
  }
  constexpr int kLeft = 56, kRight = 24, kTop = 16, kPlot = 180, kWidth = 640, kLegendRow = 18;
  const int bottom = kTop + kPlot;
  const int height = bottom + 28 + kLegendRow * static_cast<int>(series.size()) + 8;
  auto x = [&](size_t p) {
    if (snapshots <= 1) return kLeft + (kWidth - kLeft - kRight) / 2;
    return kLeft + static_cast<int>(p * (kWidth - kLeft - kRight) / (snapshots - 1));
  };
  auto y = [&](uint64_t c) { return bottom - static_cast<int>(c * kPlot / high); };
  std::string out = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" "
      "role=\"img\" font-family=\"Helvetica,Arial,sans-serif\" font-size=\"11\">\n"
      "<title>Counts per group per snapshot</title>\n",
      kWidth, height, kWidth, height);
  // Axes: the count scale (0 and the highest), the snapshots.
  out += fmt::format(
      "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#90a4ae\"/>\n"
      "<line x1=\"{0}\" y1=\"{2}\" x2=\"{3}\" y2=\"{2}\" stroke=\"#90a4ae\"/>\n"
      "<text x=\"{4}\" y=\"{2}\" text-anchor=\"end\" dominant-baseline=\"middle\">0</text>\n"
      "<text x=\"{4}\" y=\"{1}\" text-anchor=\"end\" dominant-baseline=\"middle\">{5}</text>\n",
      kLeft, kTop, bottom, kWidth - kRight, kLeft - 6, high);
  for (size_t p = 0; p < snapshots; ++p) {
    out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">#{}</text>\n", x(p),
                       bottom + 16, p + 1);
  }
  for (size_t i = 0; i < series.size(); ++i) {
    const TimelineSeries& s = series[i];
    std::string_view colour = colour_of(s.kind);
    std::string points;
    for (size_t p = 0; p < s.counts.size(); ++p) {
      points += fmt::format("{}{},{}", p ? " " : "", x(p), y(s.counts[p]));
    }
    out += fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>\n",
                       points, colour);
    for (size_t p = 0; p < s.counts.size(); ++p) {
      out += fmt::format(
          "<circle cx=\"{}\" cy=\"{}\" r=\"3\" fill=\"{}\"/>"
          "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"{}\">{}</text>\n",
          x(p), y(s.counts[p]), colour, x(p), y(s.counts[p]) - 6, colour, s.counts[p]);
    }
    int row = bottom + 28 + kLegendRow * static_cast<int>(i);
    out += fmt::format(
        "<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{}\"/>"
        "<text x=\"{}\" y=\"{}\" dominant-baseline=\"middle\">{}: {}</text>\n",
        kLeft, row, colour, kLeft + 18, row + 6, html_escape(s.kind), html_escape(s.label));
  }
  return out + "</svg>";
}

}  // namespace dla
