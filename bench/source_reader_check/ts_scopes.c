// Prints, for each file named on the command line, the scopes tree-sitter's Go, C or C++ grammar
// finds: functions, function literals and lambdas, blocks ({…}), case alternatives, the bodies of
// braceless if/else/for/while/do, and (Go) defer statements; each with its extent (0-based byte
// columns) and whether its last statement never falls through. One JSON object per file, in the
// format of goscopes; "micros" is the time spent parsing and walking it.
// Usage: ts_scopes go|c|cpp FILE...
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <tree_sitter/api.h>

const TSLanguage* tree_sitter_go(void);
const TSLanguage* tree_sitter_c(void);
const TSLanguage* tree_sitter_cpp(void);

static const char* src;
static int go;
static int first_scope;

static int is(TSNode n, const char* type) {
  return strcmp(ts_node_type(n), type) == 0;
}

static void text_of(TSNode n, char* out, size_t size) {
  uint32_t b = ts_node_start_byte(n), e = ts_node_end_byte(n);
  size_t len = e - b < size - 1 ? e - b : size - 1;
  memcpy(out, src + b, len);
  out[len] = 0;
}

// dlanalyze's table of statements that never fall through (kTerminating), for calls.
static const char* kGoCalls[] = {"panic",      "os.Exit",     "log.Fatal",
                                 "log.Fatalf", "log.Fatalln", "runtime.Goexit",
                                 "t.Fatal",    "t.Fatalf",    0};
static const char* kCCalls[] = {"exit",           "_exit",      "abort",     "pthread_exit",
                                "std::terminate", "std::abort", "std::exit", 0};

static int terminating(TSNode stmt) {
  const char* t = ts_node_type(stmt);
  if (!strcmp(t, "return_statement") || !strcmp(t, "continue_statement") ||
      !strcmp(t, "goto_statement") || !strcmp(t, "throw_statement")) {
    return 1;
  }
  if (!strcmp(t, "expression_statement") || !strcmp(t, "call_expression")) {
    TSNode call = is(stmt, "call_expression") ? stmt : ts_node_named_child(stmt, 0);
    if (ts_node_is_null(call) || !is(call, "call_expression")) return 0;
    TSNode fn = ts_node_child_by_field_name(call, "function", 8);
    if (ts_node_is_null(fn)) return 0;
    char name[128];
    text_of(fn, name, sizeof name);
    for (const char** c = go ? kGoCalls : kCCalls; *c; ++c) {
      if (!strcmp(name, *c)) return 1;
    }
  }
  return 0;
}

// The last statement among n's named children (comments skipped).
static int ends_terminating(TSNode n) {
  for (uint32_t i = ts_node_named_child_count(n); i-- > 0;) {
    TSNode c = ts_node_named_child(n, i);
    if (is(c, "comment")) continue;
    if (is(c, "statement_list")) return ends_terminating(c);  // newer Go grammars
    return terminating(c);
  }
  return 0;
}

static void emit(const char* kind, TSNode n, const char* name, int term) {
  TSPoint a = ts_node_start_point(n), b = ts_node_end_point(n);
  // The end point is one past the last character; report the last character, as the others do.
  if (b.column > 0) b.column--;
  printf("%s{\"kind\":\"%s\",\"name\":\"%s\",\"sl\":%u,\"sc\":%u,\"el\":%u,\"ec\":%u%s}",
         first_scope ? "" : ",", kind, name, a.row + 1, a.column, b.row + 1, b.column,
         term ? ",\"terminates\":true" : "");
  first_scope = 0;
}

static void body_alt(TSNode body) {
  if (ts_node_is_null(body)) return;
  if (is(body, "else_clause")) body = ts_node_named_child(body, 0);
  if (ts_node_is_null(body) || is(body, "compound_statement") || is(body, "if_statement")) return;
  emit("alt", body, "", terminating(body));
}

static void walk(TSNode n, int defers) {
  const char* t = ts_node_type(n);
  char name[256] = "";
  if (defers) {
    if (is(n, "defer_statement")) emit("defer", n, "", 0);
  } else if (go) {
    if (!strcmp(t, "function_declaration") || !strcmp(t, "method_declaration")) {
      TSNode id = ts_node_child_by_field_name(n, "name", 4);
      if (!ts_node_is_null(id)) text_of(id, name, sizeof name);
      emit("func", n, name, 0);
    } else if (!strcmp(t, "func_literal")) {
      emit("lit", n, "", 0);
    } else if (!strcmp(t, "block")) {
      emit("block", n, "", ends_terminating(n));
    } else if (!strcmp(t, "expression_case") || !strcmp(t, "default_case") ||
               !strcmp(t, "type_case") || !strcmp(t, "communication_case")) {
      emit("alt", n, "", ends_terminating(n));
    }
  } else {
    if (!strcmp(t, "function_definition")) {
      TSNode d = ts_node_child_by_field_name(n, "declarator", 10);
      while (!ts_node_is_null(d) && !is(d, "function_declarator")) {
        d = ts_node_child_by_field_name(d, "declarator", 10);  // pointer/reference declarators
      }
      if (!ts_node_is_null(d)) {
        TSNode id = ts_node_child_by_field_name(d, "declarator", 10);
        if (!ts_node_is_null(id)) text_of(id, name, sizeof name);
      }
      emit("func", n, name, 0);
    } else if (!strcmp(t, "lambda_expression")) {
      emit("lit", n, "", 0);
    } else if (!strcmp(t, "compound_statement")) {
      emit("block", n, "", ends_terminating(n));
    } else if (!strcmp(t, "case_statement")) {
      emit("alt", n, "", ends_terminating(n));
    } else if (!strcmp(t, "if_statement")) {
      body_alt(ts_node_child_by_field_name(n, "consequence", 11));
      body_alt(ts_node_child_by_field_name(n, "alternative", 11));
    } else if (!strcmp(t, "for_statement") || !strcmp(t, "while_statement") ||
               !strcmp(t, "do_statement") || !strcmp(t, "for_range_loop")) {
      body_alt(ts_node_child_by_field_name(n, "body", 4));
    }
  }
  for (uint32_t i = 0; i < ts_node_named_child_count(n); ++i)
    walk(ts_node_named_child(n, i), defers);
}

static TSPoint first_error;
static int count_errors(TSNode n) {
  int e = ts_node_is_missing(n) || is(n, "ERROR");
  if (e && first_error.row == 0) first_error = ts_node_start_point(n);
  for (uint32_t i = 0; i < ts_node_child_count(n); ++i) e += count_errors(ts_node_child(n, i));
  return e;
}

int main(int argc, char** argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: ts_scopes go|c|cpp FILE...\n");
    return 2;
  }
  go = !strcmp(argv[1], "go");
  const TSLanguage* lang = go                      ? tree_sitter_go()
                           : !strcmp(argv[1], "c") ? tree_sitter_c()
                                                   : tree_sitter_cpp();
  TSParser* parser = ts_parser_new();
  if (!ts_parser_set_language(parser, lang)) {
    fprintf(stderr, "ts_scopes: language ABI %u not loadable\n", ts_language_version(lang));
    return 2;
  }
  for (int i = 2; i < argc; ++i) {
    FILE* f = fopen(argv[i], "rb");
    if (!f) {
      fprintf(stderr, "%s: cannot read\n", argv[i]);
      return 2;
    }
    static char buf[1 << 22];
    size_t len = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[len] = 0;
    src = buf;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    TSTree* tree = ts_parser_parse_string(parser, NULL, buf, (uint32_t)len);
    TSNode root = ts_tree_root_node(tree);
    printf("{\"file\":\"%s\",\"scopes\":[", argv[i]);
    first_scope = 1;
    walk(root, 0);
    printf("],\"defers\":[");
    first_scope = 1;
    walk(root, 1);
    first_error.row = 0;
    int errors = count_errors(root);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double us = (t1.tv_sec - t0.tv_sec) * 1e6 + (t1.tv_nsec - t0.tv_nsec) / 1e3;
    printf("],\"micros\":%.1f", us);
    if (errors) {
      printf(",\"error\":\"%d syntax error nodes, the first at %u:%u\"", errors,
             first_error.row + 1, first_error.column + 1);
    }
    printf("}\n");
    ts_tree_delete(tree);
  }
  ts_parser_delete(parser);
  return 0;
}
