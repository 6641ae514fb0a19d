//===- TileSearch.cpp - Tile sizes of a blocked linear ----------*- C++ -*-===//
//
// The model follows the PE program bfly-pe-mapping emits for a blocked
// linear (lib/Conversion/Mapping.cpp, emitBlockPhase): per block, each
// member receives its rows' input chunks; per tile it receives the weight
// tile from the north edge, runs gemm over the block, adds the partial sums
// and sends the block's results east.
//
//===----------------------------------------------------------------------===//

#include "butterfly/CostModel/TileSearch.h"

#include <algorithm>
#include <cmath>

using namespace butterfly;
using namespace butterfly::cost;

namespace {
int64_t flitsOf(const arch::Arch &arch, int64_t words) {
  return (words + arch.lanes - 1) / arch.lanes;
}
} // namespace

int64_t cost::blockedLocalWords(const arch::Arch &arch,
                                const BlockedLinear &shape, int64_t tileN,
                                int64_t blockRows) {
  int64_t chunk = shape.k / shape.width;
  int64_t lanes = arch.lanes;
  auto words = [&](int64_t count) { return flitsOf(arch, count) * lanes; };
  // The block's input chunks, the weight tile, the accumulator and the
  // partial sums (or the tile's bias).
  return words(blockRows * chunk) + words(chunk * tileN) +
         2 * words(blockRows * tileN);
}

cost::BlockedLayout cost::blockedLayout(const arch::Arch &arch,
                                        const BlockedLinear &shape,
                                        int64_t tileN, int64_t blockRows) {
  int64_t chunk = shape.k / shape.width, lanes = arch.lanes;
  auto words = [&](int64_t count) { return flitsOf(arch, count) * lanes; };
  int64_t lmWords = arch.localMemBytes / 4;
  int64_t bankWords = arch.localMemBankWords();
  int64_t secondBank = words(bankWords);
  int64_t rowSide = words(blockRows * chunk) + 2 * words(blockRows * tileN);
  int64_t tileWords = words(chunk * tileN);
  BlockedLayout layout;
  layout.banked = arch.localMemBanks >= 2 && rowSide <= bankWords &&
                  secondBank + tileWords <= std::min(lmWords, 2 * bankWords);
  if (layout.banked) {
    layout.acc = words(blockRows * chunk);
    layout.partial = layout.acc + words(blockRows * tileN);
    layout.tile = secondBank;
  } else {
    layout.tile = words(blockRows * chunk);
    layout.acc = layout.tile + tileWords;
    layout.partial = layout.acc + words(blockRows * tileN);
  }
  // gemm: R·c·⌈Nt/L⌉ beats at the bank factor of its three operands.
  int64_t banks[3] = {layout.input / bankWords, layout.tile / bankWords,
                      layout.acc / bankWords};
  int64_t factor = 1;
  for (int64_t bank : banks)
    factor = std::max<int64_t>(factor, std::count(banks, banks + 3, bank));
  int64_t tileFlits = flitsOf(arch, tileN), alu = arch.aluLatency;
  double gemm = double(blockRows * chunk * tileFlits * factor + alu);
  // vfma: per row one vmul, a loop issue and c - 1 vfma of ⌈Nt/L⌉ beats and
  // the latency each; the rows loop issues once.
  double vfma =
      1 + double(blockRows) * (double(chunk) * double(tileFlits + alu) + 1);
  layout.vfma = layout.banked && chunk > 1 && vfma < gemm;
  layout.multiplyCycles = layout.vfma ? vfma : gemm;
  return layout;
}

BlockedTiles cost::estimateBlocked(const arch::Arch &arch,
                                   const BlockedLinear &shape, int64_t tileN,
                                   int64_t blockRows) {
  BlockedTiles result;
  result.tileN = tileN;
  result.blockRows = blockRows;
  int64_t chunk = shape.k / shape.width;
  int64_t blocks = shape.rows / blockRows, tiles = shape.n / tileN;
  // A member's instruction beats: per row its input chunk (and the
  // forwarding of the later members'), per block and tile the weight tile,
  // the multiply (blockedLayout), the partial sums and their add, the
  // results.
  double perTile = flitsOf(arch, chunk * tileN) +
                   blockedLayout(arch, shape, tileN, blockRows).multiplyCycles +
                   3.0 * flitsOf(arch, blockRows * tileN);
  result.computeCycles =
      double(shape.rows) * flitsOf(arch, shape.k) + blocks * tiles * perTile;
  // The north edge streams each column's weight rows once per block, one
  // flit per cycle (multicast to every PE row at once).
  result.weightStreamCycles = double(blocks) * flitsOf(arch, chunk * shape.n);
  // The west edge: each PE row's rows, and the bias once per block.
  result.rowStreamCycles = double(shape.rows) * flitsOf(arch, shape.k) +
                           (shape.bias ? blocks * flitsOf(arch, shape.n) : 0);
  // DRAM: the whole weight once per block on one channel.
  if (shape.weightsInDram)
    result.dramCycles =
        double(blocks) * shape.k * shape.n * 4 / arch.dramBytesPerCycle();
  result.cycles = std::max({result.computeCycles, result.weightStreamCycles,
                            result.rowStreamCycles, result.dramCycles});
  return result;
}

std::optional<BlockedTiles> cost::searchBlocked(const arch::Arch &arch,
                                                const BlockedLinear &shape,
                                                int64_t &explored) {
  explored = 0;
  int64_t available = arch.localMemBytes / 4;
  std::optional<BlockedTiles> best;
  // Wider tiles first, so that ties keep fewer tiles.
  for (int64_t tileN = shape.n / arch.lanes * arch.lanes; tileN >= arch.lanes;
       tileN -= arch.lanes) {
    if (shape.n % tileN != 0)
      continue;
    // Fewer blocks first, so that ties keep the larger block.
    for (int64_t blocks = 1; blocks <= shape.rows; ++blocks) {
      if (shape.rows % blocks != 0)
        continue;
      int64_t blockRows = shape.rows / blocks;
      if (blockedLocalWords(arch, shape, tileN, blockRows) > available)
        continue;
      ++explored;
      BlockedTiles candidate = estimateBlocked(arch, shape, tileN, blockRows);
      if (!best || candidate.cycles < best->cycles)
        best = candidate;
    }
  }
  return best;
}
