// dlanalyze: post-mortem deadlock analysis. Everything happens in run_cli (cli/app.cpp).
#include <unistd.h>

#include <iostream>

#include "cli/app.h"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  return dla::run_cli(argc, argv, std::cout, std::cerr, ::isatty(STDOUT_FILENO) != 0);
}
