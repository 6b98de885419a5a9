#include "render/html.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <fmt/format.h>

#include <cstdlib>
#include <memory>
#include <vector>

#include "render/chart.h"
#include "render/escape.h"
#include "render/palette.h"
#include "render/svg.h"

namespace dla {

namespace {

constexpr std::string_view kStyle = R"css(
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
  color:#212121;background:#fff;margin:0}
main{max-width:60rem;margin:0 auto;padding:1rem 1.25rem 3rem}
h1{font-size:1.55rem;line-height:1.25;border-bottom:3px solid;padding-bottom:.35rem}
h2{font-size:1.25rem;margin-top:2.2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
h3{font-size:1.05rem;margin-top:1.5rem}
code{font:.88em/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace;
  background:#f3f3f3;padding:.05em .25em;border-radius:3px;overflow-wrap:anywhere}
pre{background:#f6f6f6;padding:.7rem .8rem;overflow-x:auto;tab-size:4;border-left:3px solid #bdbdbd}
pre code{background:none;padding:0;overflow-wrap:normal;font-size:.85em}
table{border-collapse:collapse;display:block;overflow-x:auto;margin:.8rem 0}
th,td{border:1px solid #ddd;padding:.3rem .5rem;vertical-align:top;text-align:left}
th{background:#fafafa}
figure.dla-graph{margin:1rem 0;overflow-x:auto;text-align:center}
figure.dla-graph svg{max-width:100%;height:auto}
@media (max-width:40rem){body{font-size:15px}main{padding:.6rem .7rem 2rem}h1{font-size:1.3rem}
  figure.dla-graph svg{max-width:none;min-width:100%}
  td code{white-space:nowrap;overflow-wrap:normal}}
@media print{body{font-size:10.5pt}main{max-width:none;padding:0}
  pre{white-space:pre-wrap;border-left-color:#999}pre,table,figure{break-inside:avoid}
  h2,h3{break-after:avoid}a{color:inherit;text-decoration:none}}
)css";

// The verdict's look, as the terminal shows it: the title's rule and the summary's first word
// ("Deadlock.", "Stuck.", "No deadlock.") in the verdict's colour.
std::string accent_rules(Role accent) {
  const Look& l = look(accent);
  return fmt::format(
      "h1{{border-bottom-color:{}}}\nh2:first-of-type+p>strong:first-child{{color:{}}}\n", l.line,
      l.line);
}

using Node = std::unique_ptr<cmark_node, void (*)(cmark_node*)>;

// Markup that came from the Markdown's text (a dump's strings are escaped, so none should)
// stays text; every ```dot block becomes its picture, every ```timeline block its chart.
void rewrite(cmark_node* document) {
  std::vector<cmark_node*> raw, pictures;
  cmark_iter* it = cmark_iter_new(document);
  for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
    if (ev != CMARK_EVENT_ENTER) continue;
    cmark_node* node = cmark_iter_get_node(it);
    cmark_node_type type = cmark_node_get_type(node);
    if (type == CMARK_NODE_HTML_BLOCK || type == CMARK_NODE_HTML_INLINE) raw.push_back(node);
    const char* info = type == CMARK_NODE_CODE_BLOCK ? cmark_node_get_fence_info(node) : nullptr;
    if (info != nullptr &&
        (std::string_view(info) == "dot" || std::string_view(info) == "timeline")) {
      pictures.push_back(node);
    }
  }
  cmark_iter_free(it);
  for (cmark_node* node : raw) {
    bool block = cmark_node_get_type(node) == CMARK_NODE_HTML_BLOCK;
    cmark_node* text = cmark_node_new(block ? CMARK_NODE_CODE_BLOCK : CMARK_NODE_TEXT);
    cmark_node_set_literal(text, cmark_node_get_literal(node));
    cmark_node_replace(node, text);
    cmark_node_free(node);
  }
  for (cmark_node* node : pictures) {
    std::string figure;
    try {
      const char* literal = cmark_node_get_literal(node);
      bool timeline = std::string_view(cmark_node_get_fence_info(node)) == "timeline";
      figure =
          fmt::format("<figure class=\"dla-graph\">{}</figure>",
                      timeline ? timeline_svg(parse_timeline_block(literal)) : dot_to_svg(literal));
    } catch (const std::exception& e) {
      figure =
          fmt::format("<p><em>The picture could not be drawn: {}.</em></p>", html_escape(e.what()));
    }
    cmark_node* html = cmark_node_new(CMARK_NODE_HTML_BLOCK);
    cmark_node_set_literal(html, figure.c_str());
    cmark_node_replace(node, html);
    cmark_node_free(node);
  }
}

// The text of the first "# " heading, for <title>.
std::string title_of(std::string_view markdown) {
  size_t at = markdown.rfind("# ", 0) == 0 ? 0 : markdown.find("\n# ");
  if (at == std::string_view::npos) return "dlanalyze report";
  at += markdown[at] == '\n' ? 3 : 2;
  std::string_view line = markdown.substr(at, markdown.find('\n', at) - at);
  std::string plain;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '`') continue;
    if (line[i] == '\\' && i + 1 < line.size()) ++i;
    plain += line[i];
  }
  return plain;
}

}  // namespace

std::string render_html_page(std::string_view markdown, Role accent) {
  cmark_gfm_core_extensions_ensure_registered();
  std::unique_ptr<cmark_parser, void (*)(cmark_parser*)> parser(cmark_parser_new(CMARK_OPT_DEFAULT),
                                                                cmark_parser_free);
  cmark_parser_attach_syntax_extension(parser.get(), cmark_find_syntax_extension("table"));
  cmark_parser_feed(parser.get(), markdown.data(), markdown.size());
  Node document(cmark_parser_finish(parser.get()), cmark_node_free);
  rewrite(document.get());
  // Unsafe only in cmark's sense: the raw HTML left is the pictures put in above.
  char* body = cmark_render_html(document.get(), CMARK_OPT_UNSAFE,
                                 cmark_parser_get_syntax_extensions(parser.get()));
  std::string page = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta name=\"generator\" content=\"dlanalyze\">\n<title>{}</title>\n<style>{}{}</style>\n"
      "</head>\n<body>\n<main>\n{}</main>\n</body>\n</html>\n",
      html_escape(title_of(markdown)), kStyle, accent_rules(accent), body);
  free(body);
  return page;
}

}  // namespace dla
