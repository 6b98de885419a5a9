#include "render/palette.h"

#include <fmt/format.h>

#include <array>

namespace dla {

namespace {

using fmt::terminal_color;

// Colours from the Material palette's 800 (line) and 50 (fill) shades: readable on white,
// distinct for the common colour-blindnesses by lightness as well as hue, and printable.
constexpr std::array kLooks = {
    Look{Role::kCycle, "cycle member", true, terminal_color::red, true, "#c62828", "#ffebee", "box",
         "bold"},
    Look{Role::kCycleLock, "lock in the cycle", true, terminal_color::cyan, false, "#c62828",
         "#e0f7fa", "ellipse", "bold"},
    Look{Role::kLock, "lock or other resource", true, terminal_color::cyan, false, "#00838f",
         "#e0f7fa", "ellipse", ""},
    Look{Role::kBlocked, "blocked behind a cycle", true, terminal_color::bright_black, false,
         "#757575", "#eeeeee", "box", ""},
    Look{Role::kStuck, "waits forever", true, terminal_color::yellow, true, "#e65100", "#fff3e0",
         "box", "bold"},
    Look{Role::kUncertain, "suspect, or holder unknown", true, terminal_color::yellow, false,
         "#f9a825", "#fffde7", "box", "dashed"},
    Look{Role::kGroup, "other tasks, by identical stack", false, terminal_color::white, false,
         "#546e7a", "#eceff1", "box3d", ""},
    Look{Role::kClean, "no deadlock", true, terminal_color::green, true, "#2e7d32", "#e8f5e9",
         "box", ""},
};
// look() indexes the table by the enum.
static_assert([] {
  for (size_t i = 0; i < kLooks.size(); ++i) {
    if (static_cast<size_t>(kLooks[i].role) != i) return false;
  }
  return true;
}());

}  // namespace

const Look& look(Role role) {
  return kLooks[static_cast<size_t>(role)];
}

std::span<const Look> all_looks() {
  return kLooks;
}

std::string paint(Role role, std::string_view text, bool on) {
  const Look& l = look(role);
  if (!on || (!l.has_color && !l.bold)) return std::string(text);
  fmt::text_style style;
  if (l.has_color) style = fg(l.color);
  if (l.bold) style |= fmt::emphasis::bold;
  return fmt::format(style, "{}", text);
}

}  // namespace dla
