// libFuzzer target: see brag::fuzz::ProtocolLines in fuzz/targets.h.
#include <cstddef>
#include <cstdint>

#include "fuzz/targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  brag::fuzz::ProtocolLines(data, size);
  return 0;
}
