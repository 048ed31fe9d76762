// brag: the command-line client of bragd (DESIGN §8).
#include <iostream>

#include "cli/app.h"

int main(int argc, char** argv) {
  return brag::cli::RunBrag(argc, argv, std::cout, std::cerr);
}
