// Errors and warnings. Inside the tool one exception type, dla::Error, carries a message that
// already names the input and the line or byte offset; cli/ turns it into one line on stderr and
// exit code 2. Damage a parser can step over becomes a Warning in the snapshot instead, and the
// result is printed as partial.
#pragma once

#include <stdexcept>
#include <string>

namespace dla {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Warning {
  std::string where;    // "dump.txt:118", "dump.txt" or "" when not tied to a place
  std::string message;  // one sentence, no trailing period
};

}  // namespace dla
