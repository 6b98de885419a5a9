// What people paste is seldom the bytes the runtime printed: a Windows tool saved the dump as
// UTF-16, an issue tracker wrapped it in a markdown fence, a blog indented it as a code block, an
// e-mail quoted it with "> ". unpaste() undoes those once, before any probe, so that every parser
// sees the dump as the runtime printed it and none of them has to know about pastes.
//
// Every step keeps the input's lines: line N of the result is line N of the input (a fence line
// becomes an empty line), so that the line numbers in messages are the file's own. Byte offsets in
// messages are always computed on the file's bytes, never on the result.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace dla {

enum class TextEncoding : uint8_t {
  kAsIs,     // UTF-8 (or a single-byte code page, kept as bytes): no decoding
  kUtf8Bom,  // UTF-8 behind a byte-order mark (Notepad, PowerShell 7 "> file")
  kUtf16Le,  // UTF-16 little-endian, with or without a byte-order mark (PowerShell 5 "> file")
  kUtf16Be,  // UTF-16 big-endian, with or without a byte-order mark
};
const char* to_string(TextEncoding encoding);

// One way a paste can wrap a dump, undone by unpaste. The names are for messages and tests.
enum class PasteWrapping : uint8_t {
  kQuoted,    // "> " in front of every line of a run (e-mail, markdown block quote)
  kFenced,    // a markdown fence line (``` or ~~~, with or without an info string)
  kIndented,  // a block indented as a whole (a markdown code block, a pasted console)
};
const char* to_string(PasteWrapping wrapping);

struct UnpastedText {
  std::string_view text;  // the dump as printed: the input itself when nothing was undone
  // Owns `text` when it is not the input. On the heap so that `text` survives a move of this
  // struct: a moved std::string's short buffer moves with it (found by fuzz_jvm_json_dump).
  std::unique_ptr<const std::string> storage;
  TextEncoding encoding = TextEncoding::kAsIs;
  std::vector<PasteWrapping> undone;  // each wrapping found, once, in the order first met
};

// How many bytes the decision "is this a paste?" looks at: the probes' window. An input whose
// first kProbeBytes show no wrapping is passed through untouched (no copy of a 40 MB dump).
inline constexpr size_t kUnpasteWindow = 64 * 1024;

// Decodes `bytes` to UTF-8 where they are UTF-16 or carry a UTF-8 byte-order mark, then undoes
// quoting, fences and block indentation, line by line. Never throws; bytes that are not text stay
// as they are (the registry reports binary input on the original bytes).
UnpastedText unpaste(std::string_view bytes);

// The line transformations alone, on text that is already UTF-8: for each line of `lines` (no
// line endings), the part of it that belongs to the dump; `undone` collects what was found.
// Exposed for the table-driven tests.
std::vector<std::string_view> unwrap_lines(const std::vector<std::string_view>& lines,
                                           std::vector<PasteWrapping>& undone);

}  // namespace dla
