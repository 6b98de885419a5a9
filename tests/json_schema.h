// A JSON Schema checker for the subset of draft 2020-12 that schemas/*.schema.json use, so that
// the tests need nothing beyond nlohmann/json. A keyword it does not know is an error, never
// skipped: a schema cannot claim a constraint that is not checked.
//
// Strict mode (the tests' default) also rejects an object member that the object's schema does
// not declare: the published schemas leave objects open (the contract is additive), but a field
// the code emits and the schema does not describe is drift, and the tests must catch it.
#pragma once

#include <nlohmann/json.hpp>

#include <regex>
#include <set>
#include <string>
#include <vector>

namespace dla::test {

class SchemaChecker {
 public:
  explicit SchemaChecker(nlohmann::json schema, bool strict = true)
      : root_(std::move(schema)), strict_(strict) {}

  // Every violation, as "path: what"; empty when `doc` conforms.
  std::vector<std::string> check(const nlohmann::json& doc) {
    errors_.clear();
    visit(root_, doc, "$");
    return errors_;
  }

 private:
  using Json = nlohmann::json;

  const Json& resolve(const std::string& ref) {
    if (!ref.starts_with("#/")) throw std::runtime_error("unsupported $ref " + ref);
    const Json* at = &root_;
    size_t start = 2;
    while (start <= ref.size()) {
      size_t slash = ref.find('/', start);
      if (slash == std::string::npos) slash = ref.size();
      at = &at->at(ref.substr(start, slash - start));
      start = slash + 1;
    }
    return *at;
  }

  static bool has_type(const Json& v, const std::string& type) {
    if (type == "object") return v.is_object();
    if (type == "array") return v.is_array();
    if (type == "string") return v.is_string();
    if (type == "integer") return v.is_number_integer();
    if (type == "number") return v.is_number();
    if (type == "boolean") return v.is_boolean();
    if (type == "null") return v.is_null();
    throw std::runtime_error("unknown type " + type);
  }

  void fail(const std::string& path, const std::string& what) {
    errors_.push_back(path + ": " + what);
  }

  void visit(const Json& schema, const Json& v, const std::string& path) {
    static const std::set<std::string> kAnnotations = {"$schema", "$id", "title", "description",
                                                       "$defs"};
    for (const auto& [key, rule] : schema.items()) {
      if (kAnnotations.count(key)) continue;
      if (key == "$ref") {
        visit(resolve(rule.get<std::string>()), v, path);
      } else if (key == "type") {
        std::vector<std::string> types = rule.is_array() ? rule.get<std::vector<std::string>>()
                                                         : std::vector{rule.get<std::string>()};
        bool ok = false;
        for (const std::string& t : types) ok = ok || has_type(v, t);
        if (!ok) fail(path, "is " + v.dump() + ", not of type " + rule.dump());
      } else if (key == "enum") {
        bool ok = false;
        for (const Json& e : rule) ok = ok || e == v;
        if (!ok) fail(path, v.dump() + " is not one of " + rule.dump());
      } else if (key == "const") {
        if (v != rule) fail(path, v.dump() + " is not " + rule.dump());
      } else if (key == "required") {
        if (!v.is_object()) continue;
        for (const Json& name : rule) {
          if (!v.contains(name.get<std::string>())) fail(path, "lacks " + name.dump());
        }
      } else if (key == "properties") {
        if (!v.is_object()) continue;
        for (const auto& [name, sub] : rule.items()) {
          if (v.contains(name)) visit(sub, v.at(name), path + "." + name);
        }
        if (strict_ && !schema.contains("additionalProperties")) {
          for (const auto& [name, value] : v.items()) {
            if (!rule.contains(name))
              fail(path, "has " + name + ", which the schema does not declare");
          }
        }
      } else if (key == "additionalProperties") {
        if (!v.is_object()) continue;
        const Json* declared = schema.contains("properties") ? &schema.at("properties") : nullptr;
        for (const auto& [name, value] : v.items()) {
          if (declared != nullptr && declared->contains(name)) continue;
          if (rule.is_boolean()) {
            if (!rule.get<bool>())
              fail(path, "has " + name + ", which the schema does not declare");
          } else {
            visit(rule, value, path + "." + name);
          }
        }
      } else if (key == "propertyNames") {
        if (!v.is_object()) continue;
        for (const auto& [name, value] : v.items())
          visit(rule, Json(name), path + "{" + name + "}");
      } else if (key == "items") {
        if (!v.is_array()) continue;
        for (size_t i = 0; i < v.size(); ++i)
          visit(rule, v[i], path + "[" + std::to_string(i) + "]");
      } else if (key == "minItems") {
        if (v.is_array() && v.size() < rule.get<size_t>())
          fail(path, "has fewer than " + rule.dump() + " items");
      } else if (key == "minLength") {
        if (v.is_string() && v.get<std::string>().size() < rule.get<size_t>())
          fail(path, "is shorter than " + rule.dump());
      } else if (key == "minimum") {
        if (v.is_number() && v.get<double>() < rule.get<double>())
          fail(path, v.dump() + " is below " + rule.dump());
      } else if (key == "pattern") {
        if (v.is_string() &&
            !std::regex_search(v.get<std::string>(), std::regex(rule.get<std::string>()))) {
          fail(path, v.dump() + " does not match " + rule.dump());
        }
      } else if (key == "anyOf") {
        bool ok = false;
        for (const Json& alternative : rule) {
          std::vector<std::string> before = std::move(errors_);
          errors_.clear();
          visit(alternative, v, path);
          ok = ok || errors_.empty();
          errors_ = std::move(before);
        }
        if (!ok) fail(path, v.dump().substr(0, 200) + " matches none of anyOf");
      } else {
        throw std::runtime_error("schema keyword '" + key + "' is not supported by this checker");
      }
    }
  }

  Json root_;
  bool strict_;
  std::vector<std::string> errors_;
};

}  // namespace dla::test
