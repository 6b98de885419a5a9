// DOT → SVG in-process, with Graphviz's own libraries (libgvc, libcgraph): the report's picture is
// laid out by the same `dot` engine a user would run, without a process or a temporary file.
#pragma once

#include <string>
#include <string_view>

namespace dla {

// The graph laid out by `dot` and rendered as an SVG document, from "<svg" on (no XML prolog or
// doctype, ready to inline in HTML). Throws dla::Error when Graphviz cannot read the graph.
std::string dot_to_svg(std::string_view dot);

}  // namespace dla
