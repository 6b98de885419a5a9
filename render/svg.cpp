#include "render/svg.h"

#include <gvc.h>

#include <memory>
#include <string>

#include "graph/diagnostics.h"

namespace dla {

std::string dot_to_svg(std::string_view dot) {
  // Graphviz prints its own errors to stderr; the caller reports failure once instead.
  agseterr(AGMAX);
  // One context for the process: Graphviz 2.42 caches font data across contexts (textspan.c), and
  // a second context after the first was freed reads freed memory (AddressSanitizer saw it).
  static GVC_t* const gvc = gvContext();
  std::string text(dot);  // agmemread wants a NUL-terminated string
  std::unique_ptr<Agraph_t, int (*)(Agraph_t*)> graph(agmemread(text.c_str()), agclose);
  if (!graph) throw Error("graphviz could not read the picture's DOT");
  if (gvLayout(gvc, graph.get(), "dot") != 0) {
    throw Error("graphviz could not lay out the picture");
  }
  char* data = nullptr;
  unsigned int length = 0;
  int rendered = gvRenderData(gvc, graph.get(), "svg", &data, &length);
  std::string svg = rendered == 0 && data != nullptr ? std::string(data, length) : "";
  gvFreeRenderData(data);
  gvFreeLayout(gvc, graph.get());
  if (svg.empty()) throw Error("graphviz could not render the picture as SVG");
  size_t start = svg.find("<svg");
  return start == std::string::npos ? svg : svg.substr(start);
}

}  // namespace dla
