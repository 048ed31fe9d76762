// brag-cli: every command of brag (DESIGN §8). `brag` runs it for anything
// but the quick hooks; it can also be run by itself.
#include <iostream>

#include "cli/app.h"

int main(int argc, char** argv) {
  return brag::cli::RunBrag(argc, argv, std::cout, std::cerr);
}
