#include <catch2/catch.hpp>

#include <string>

#include "graph/string_pool.h"

using dla::kNoString;
using dla::StringPool;

TEST_CASE("StringPoolInternsEqualStringsOnce") {
  StringPool pool;
  auto a = pool.intern("java.lang.Thread.run");
  auto b = pool.intern(std::string("java.lang.Thread.") + "run");
  auto c = pool.intern("java.lang.Thread.sleep");
  CHECK(a == b);
  CHECK(a != c);
  CHECK(pool.get(a) == "java.lang.Thread.run");
  CHECK(pool.get(c) == "java.lang.Thread.sleep");
}

TEST_CASE("StringPoolEmptyStringIsNoString") {
  StringPool pool;
  CHECK(pool.intern("") == kNoString);
  CHECK(pool.get(kNoString).empty());
  CHECK(pool.find("absent") == kNoString);
}

TEST_CASE("StringPoolViewsSurviveGrowthPastManyChunks") {
  StringPool pool;
  std::vector<dla::StrId> ids;
  for (int i = 0; i < 50000; ++i) ids.push_back(pool.intern("function_" + std::to_string(i)));
  // A string longer than a chunk gets its own.
  std::string huge(200000, 'x');
  auto huge_id = pool.intern(huge);
  for (int i = 0; i < 50000; i += 997) CHECK(pool.get(ids[i]) == "function_" + std::to_string(i));
  CHECK(pool.get(huge_id) == huge);
  CHECK(pool.find("function_49999") == ids.back());
}
