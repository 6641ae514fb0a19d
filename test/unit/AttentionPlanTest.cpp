//===- AttentionPlanTest.cpp - The fused attention plan ---------*- C++ -*-===//
//
// The split of an attention over the array and each PE's local-memory
// layout, derived by hand from docs/compiler.md ("Fused attention") and
// docs/architecture.md §4.
//
//===----------------------------------------------------------------------===//

#include "butterfly/CostModel/AttentionPlan.h"

#include "TinyArch.h"

#include "gtest/gtest.h"

using namespace butterfly;
using namespace butterfly::cost;

namespace {

TEST(AttentionPlan, LraShapeOnTheDefaultArray) {
  // 4 heads of 1024 queries and keys, head size 64, on 16 x 16 PEs with
  // 4096 words of local memory in two banks of 2048.
  std::optional<AttentionPlan> plan =
      planFusedAttention(arch::Arch(), {4, 1024, 1024, 64, 64});
  ASSERT_TRUE(plan);
  // 4 slices of 256 queries per head fill the 16 PE rows; 16 columns of 16
  // queries each.
  EXPECT_EQ(plan->slices, 4);
  EXPECT_EQ(plan->peRows, 16);
  EXPECT_EQ(plan->columns, 16);
  EXPECT_EQ(plan->rowsPerPe, 16);
  // Bank 1 holds the transposed queries (64 x Bq) and the value tile
  // (Bk x 64): 2048 words at most, so Bq = Bk = 16 at best.
  EXPECT_EQ(plan->blockQueries, 16);
  EXPECT_EQ(plan->blockKeys, 16);
  const AttentionLayout &at = plan->layout;
  EXPECT_EQ(at.out, 0);       // 16 x 64 outputs: bank 0
  EXPECT_EQ(at.scores, 1024); // 16 x 16 scores: bank 0
  EXPECT_EQ(at.queries, 2048);
  EXPECT_EQ(at.tile, 3072);
  // Bank 1 is full, so the five statistics rows of 16 follow the scores.
  EXPECT_EQ(at.runMax, 1280);
  EXPECT_EQ(at.tileMax, 1296);
  EXPECT_EQ(at.correction, 1312);
  EXPECT_EQ(at.tileSum, 1328);
  EXPECT_EQ(at.runSum, 1344);
  EXPECT_EQ(at.words, 4096);
  // A middle column: the unit loop, two skips (4), the kept block, the
  // scale and three inits; 22 per tile; 5 to finish; halt.
  EXPECT_EQ(plan->instructions, 38);
}

TEST(AttentionPlan, StatisticsBesideTheQueriesWhenThereIsRoom) {
  // Head size 8: queries 8 x Bq and the tile Bk x 8 leave bank 1 room.
  std::optional<AttentionPlan> plan =
      planFusedAttention(arch::Arch(), {1, 128, 128, 8, 8});
  ASSERT_TRUE(plan);
  const AttentionLayout &at = plan->layout;
  int64_t bq = plan->blockQueries, bk = plan->blockKeys;
  EXPECT_EQ(at.queries, 2048);
  EXPECT_EQ(at.tile, 2048 + 8 * bq);
  EXPECT_EQ(at.runMax, at.tile + 8 * bk);
  EXPECT_EQ(at.scores, 8 * bq);
}

TEST(AttentionPlan, OneBankPacksFromWordZero) {
  arch::Arch a;
  a.localMemBanks = 1;
  std::optional<AttentionPlan> plan =
      planFusedAttention(a, {4, 1024, 1024, 64, 64});
  ASSERT_TRUE(plan);
  const AttentionLayout &at = plan->layout;
  int64_t bq = plan->blockQueries, bk = plan->blockKeys;
  EXPECT_EQ(at.out, 0);
  EXPECT_EQ(at.scores, bq * 64);
  EXPECT_EQ(at.queries, at.scores + bk * bq);
  EXPECT_EQ(at.tile, at.queries + 64 * bq);
  EXPECT_EQ(at.runMax, at.tile + bk * 64);
  EXPECT_LE(at.words, 4096);
}

TEST(AttentionPlan, RefusedWhereNothingFits) {
  // A head size that is not whole flits.
  EXPECT_FALSE(planFusedAttention(arch::Arch(), {1, 8, 8, 6, 6}));
  // Keys that are not whole flits.
  EXPECT_FALSE(planFusedAttention(arch::Arch(), {1, 8, 6, 8, 8}));
  // The 4x4 test array's 32 instruction slots hold no fused program.
  EXPECT_FALSE(planFusedAttention(test::tinyArch(), {1, 16, 16, 8, 8}));
  // A head of 1024 words: one query row and one key row exceed a bank.
  EXPECT_FALSE(planFusedAttention(arch::Arch(), {1, 16, 16, 4096, 4096}));
}

TEST(AttentionPlan, SmallProblemsUseFewerPes) {
  // Configuration costs 32 bytes per instruction and PE: 2 heads of 8
  // queries take 4 PE rows of one column rather than the whole array.
  std::optional<AttentionPlan> plan =
      planFusedAttention(arch::Arch(), {2, 8, 8, 4, 4});
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->peRows, 4);
  EXPECT_EQ(plan->columns, 1);
  EXPECT_EQ(plan->blockKeys, 8);
}

} // namespace
