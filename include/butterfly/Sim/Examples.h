//===- Examples.h - Hand-mapped example programs for the array --*- C++ -*-===//
//
// Programs written directly against the ISA of docs/architecture.md: the
// streaming FFT band and the output-stationary systolic GEMM described
// there. The simulator's tests check them against naive math, the benchmark
// measures the simulator on them, and the cost model can be calibrated
// against their cycle counts.
//
//===----------------------------------------------------------------------===//

#ifndef BUTTERFLY_SIM_EXAMPLES_H
#define BUTTERFLY_SIM_EXAMPLES_H

#include "butterfly/Arch/Arch.h"
#include "butterfly/Bitstream/Program.h"

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>

namespace butterfly::sim::examples {

/// A route from \p src to every destination, each along the path that goes
/// along the row first, then the column (edge nodes included); the union of
/// these paths is a tree, listed in tree order.
bitstream::Route xyRoute(const bitstream::Endpoint &src,
                         llvm::ArrayRef<bitstream::Endpoint> dsts);

/// `bands` independent streams of `frames` complex FFTs of n points (n a
/// power of two, at least 4), one band per row r < bands: frames stream from
/// west edge r through PEs (r, 0..ceil(log2 n / 2)-1), each running two
/// radix-2 stages (PE (r,0) bit-reverses first), and back west into the GB,
/// all in one phase. Input and output: complex64 [bands, frames, n].
bitstream::Program fftBands(const arch::Arch &arch, int64_t n, int64_t frames,
                            int64_t bands);

/// C[M x N] = A[M x K] B[K x N] on the whole array, output stationary: PE
/// (i, j) accumulates a 1 x lanes block of C per fold; A rows stream from the
/// west edges (multicast along rows), B column blocks from the north edges
/// (multicast down columns), one `gemm.init` per fold, results drain west.
/// Needs M a multiple of rows, N of cols * lanes, K of lanes. Phases: load
/// (DRAM -> GB), compute, store. With \p bankAware (and gb_banks >= rows +
/// cols, K a multiple of lanes * gb_banks / (rows + cols)), A and B are laid
/// out so that each edge stream owns its GB banks; otherwise row-major.
bitstream::Program systolicGemm(const arch::Arch &arch, int64_t M, int64_t N,
                                int64_t K, bool bankAware);

} // namespace butterfly::sim::examples

#endif // BUTTERFLY_SIM_EXAMPLES_H
