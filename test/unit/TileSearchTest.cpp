//===- TileSearchTest.cpp - The blocked-linear tile search ------*- C++ -*-===//
//
// Expectations computed by hand from the formulas of docs/cost-model.md
// ("Blocked linears").
//
//===----------------------------------------------------------------------===//

#include "butterfly/CostModel/TileSearch.h"

#include "TinyArch.h"

#include "gtest/gtest.h"

using namespace butterfly;
using namespace butterfly::cost;

using test::tinyArch;

namespace {

/// A 128x128 linear with bias, 2 rows per PE row, over a band of 4 (32
/// inputs per member), its weight in DRAM.
BlockedLinear shape() {
  BlockedLinear s;
  s.rows = 2;
  s.k = s.n = 128;
  s.width = 4;
  s.peRows = 4;
  s.bias = true;
  s.weightsInDram = true;
  return s;
}

TEST(TileSearch, LocalWords) {
  // Block 2 x 32 inputs, tile 32 x 16 weights, accumulator and partial sums
  // 2 x 16 each: 64 + 512 + 2 * 32.
  EXPECT_EQ(blockedLocalWords(tinyArch(), shape(), 16, 2), 640);
  // Words round up to whole flits: a 1 x 4 accumulator is one flit.
  EXPECT_EQ(blockedLocalWords(tinyArch(), shape(), 4, 1), 32 + 128 + 2 * 4);
}

TEST(TileSearch, LayoutByBank) {
  // 1024 words of local memory in two banks of 512. Block 2 x 32 inputs
  // (64 words), accumulator and partial sums 2 x 16 (32 each) in bank 0;
  // the 32 x 16 tile (512 words) fills bank 1.
  BlockedLayout banked = blockedLayout(tinyArch(), shape(), 16, 2);
  EXPECT_TRUE(banked.banked);
  EXPECT_EQ(banked.input, 0);
  EXPECT_EQ(banked.acc, 64);
  EXPECT_EQ(banked.partial, 96);
  EXPECT_EQ(banked.tile, 512);
  // gemm: 2 * 32 * 4 beats at bank factor 2 (input and accumulator share
  // bank 0) + 1 = 513. vfma: per row a vmul and 31 vfma of 4 beats + 1
  // latency, one loop issue; one issue of the rows loop: 1 + 2 * (32 * 5 +
  // 1) = 323.
  EXPECT_TRUE(banked.vfma);
  EXPECT_DOUBLE_EQ(banked.multiplyCycles, 323);

  // A 32 x 20 tile (640 words) does not fit a bank: packed from word 0, the
  // input and the tile in bank 0 (f = 2), one gemm of 2 * 32 * 5 beats.
  BlockedLayout packed = blockedLayout(tinyArch(), shape(), 20, 2);
  EXPECT_FALSE(packed.banked);
  EXPECT_EQ(packed.input, 0);
  EXPECT_EQ(packed.tile, 64);
  EXPECT_EQ(packed.acc, 704);
  EXPECT_EQ(packed.partial, 744);
  EXPECT_FALSE(packed.vfma);
  EXPECT_DOUBLE_EQ(packed.multiplyCycles, 2 * 32 * 5 * 2 + 1);
}

TEST(TileSearch, EstimateByHand) {
  BlockedTiles t = estimateBlocked(tinyArch(), shape(), 16, 2);
  // Per tile: weight tile 512/4 = 128 flits, the multiply 323 cycles
  // (LayoutByBank), partial sums, add and results 3 * 32/4 = 24: 475. Rows
  // in: 2 * 128/4.
  EXPECT_DOUBLE_EQ(t.computeCycles, 2 * 32 + 1 * 8 * 475);
  // The column's 32 x 128 weight rows once: 1024 flits.
  EXPECT_DOUBLE_EQ(t.weightStreamCycles, 1024);
  // Two rows of 32 flits and the bias (32 flits) once.
  EXPECT_DOUBLE_EQ(t.rowStreamCycles, 2 * 32 + 32);
  // 64 KiB of weights at 16 B/cycle.
  EXPECT_DOUBLE_EQ(t.dramCycles, 4096);
  EXPECT_DOUBLE_EQ(t.cycles, 4096);
}

TEST(TileSearch, BlocksMultiplyWeightTraffic) {
  // One row per block: the weight streams twice.
  BlockedTiles t = estimateBlocked(tinyArch(), shape(), 16, 1);
  EXPECT_DOUBLE_EQ(t.weightStreamCycles, 2 * 1024);
  EXPECT_DOUBLE_EQ(t.dramCycles, 2 * 4096);
}

TEST(TileSearch, PicksTheCheapestThatFits) {
  int64_t explored = 0;
  std::optional<BlockedTiles> best =
      searchBlocked(tinyArch(), shape(), explored);
  ASSERT_TRUE(best);
  // Tiles of 16, 8 and 4 columns fit with blocks of 1 or 2 rows; 32
  // columns do not (32 x 32 weight words alone fill local memory).
  EXPECT_EQ(explored, 6);
  // Every fitting candidate with one block is DRAM-bound at 4096 cycles;
  // ties keep the widest tile, then the fewest blocks.
  EXPECT_EQ(best->tileN, 16);
  EXPECT_EQ(best->blockRows, 2);
  EXPECT_DOUBLE_EQ(best->cycles, 4096);
}

TEST(TileSearch, NothingFits) {
  BlockedLinear s = shape();
  s.k = 4096 * 4; // 4096 inputs per member: more than local memory
  int64_t explored = 0;
  EXPECT_FALSE(searchBlocked(tinyArch(), s, explored));
  EXPECT_EQ(explored, 0);
}

} // namespace
