// The report as one self-contained HTML page. The Markdown is the only source: cmark-gfm (with the
// GFM table extension) turns it into HTML, and each ```dot block becomes its picture, laid out
// in-process by Graphviz and inlined as SVG. A small stylesheet (the palette's colours) keeps it
// readable on a phone and on paper; no script, no web font, no external file: it works offline.
#pragma once

#include <string>
#include <string_view>

#include "render/palette.h"

namespace dla {

// `accent`: the verdict's role (describe.h's verdict_words), whose colour marks the title and the
// summary's verdict as in the terminal.
std::string render_html_page(std::string_view markdown, Role accent);

}  // namespace dla
