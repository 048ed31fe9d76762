// An allocator for the digest's large arrays (digest.h): 2 MiB-aligned runs
// marked for transparent huge pages. Internal to daemon/digest/.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <vector>

namespace brag::digest {

// Memory for the digest's large blocks, 2 MiB-aligned and marked for
// transparent huge pages: a digest of 100k notes fills tens of MB once, and
// where a page fault is slow (a VM: ~20 us) first touches of 4 KiB pages
// would be a good part of what it costs. A request of a quarter of a huge
// page or more gets whole huge pages (zeroing the rest of the last one costs
// less than the faults it saves); smaller ones, or a kernel that says no,
// get ordinary memory.
template <typename T>
struct HugePageAllocator {
  using value_type = T;
  HugePageAllocator() = default;
  template <typename U>
  explicit HugePageAllocator(const HugePageAllocator<U>&) {}

  static constexpr size_t kHuge = size_t{2} << 20;
  static constexpr size_t kHugeFrom = kHuge / 4;

  T* allocate(size_t n) {
    size_t bytes = n * sizeof(T);
    if (bytes < kHugeFrom) return std::allocator<T>().allocate(n);
    size_t mapped = Rounded(bytes) + kHuge;
    void* p = mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    // Keep the aligned part only.
    auto start = reinterpret_cast<uintptr_t>(p);
    uintptr_t aligned = (start + kHuge - 1) & ~(uintptr_t{kHuge} - 1);
    if (aligned > start) munmap(p, aligned - start);
    uintptr_t end = start + mapped;
    uintptr_t used = aligned + Rounded(bytes);
    if (end > used) munmap(reinterpret_cast<void*>(used), end - used);
    madvise(reinterpret_cast<void*>(aligned), Rounded(bytes), MADV_HUGEPAGE);
    return reinterpret_cast<T*>(aligned);
  }

  void deallocate(T* p, size_t n) {
    size_t bytes = n * sizeof(T);
    if (bytes < kHugeFrom) {
      std::allocator<T>().deallocate(p, n);
      return;
    }
    munmap(p, Rounded(bytes));
  }

  static size_t Rounded(size_t bytes) { return (bytes + kHuge - 1) & ~(kHuge - 1); }

  template <typename U>
  bool operator==(const HugePageAllocator<U>&) const {
    return true;
  }
};

// A vector of one of those large arrays.
template <typename T>
using HugeVector = std::vector<T, HugePageAllocator<T>>;

}  // namespace brag::digest
