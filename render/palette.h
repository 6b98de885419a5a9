// One look per role of a task or a lock in a finding, the same in the terminal text, the DOT
// picture (and so the HTML report's inline SVG and its verdict colour): a cycle member is red and
// bold everywhere, a task blocked behind a cycle grey, a stuck waiter orange. One row per role;
// the renderers only look rows up.
#pragma once

#include <fmt/color.h>

#include <span>
#include <string>
#include <string_view>

namespace dla {

enum class Role : uint8_t {
  kCycle,      // a cycle member, and the verdict DEADLOCK
  kCycleLock,  // a lock a cycle goes through
  kLock,       // any other lock or resource a finding names
  kBlocked,    // blocked behind a cycle: waits on a member, is not one
  kStuck,      // a waiter that can never wake, and the verdict STUCK
  kUncertain,  // a suspect parked for minutes, a lock whose holder is unknown
  kGroup,      // other tasks, collapsed into groups of identical stacks
  kClean,      // the verdict "no deadlock"
};

struct Look {
  Role role;
  std::string_view legend;  // "cycle member": what the role means, in words
  // Terminal: the nearest of the 16 ANSI colours (none = the terminal's own), bold or not.
  bool has_color;
  fmt::terminal_color color;
  bool bold;
  // DOT and HTML: the line and text colour, the fill, the node shape and extra style.
  std::string_view line;
  std::string_view fill;
  std::string_view shape;  // "box", "ellipse", "box3d"
  std::string_view style;  // DOT style besides "filled": "bold", "dashed", ""
};

const Look& look(Role role);
std::span<const Look> all_looks();

// Paints `text` for a terminal in the role's look when `on`; the text itself otherwise.
std::string paint(Role role, std::string_view text, bool on);

}  // namespace dla
