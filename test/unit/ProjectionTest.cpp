//===- ProjectionTest.cpp - Butterfly projection tests ----------*- C++ -*-===//
//
// The projection must recover butterflies exactly (the dense weight here is
// built by applying the reference kernel to the identity, independently of
// the fitting code) and must never be worse than the zero matrix.
//
//===----------------------------------------------------------------------===//

#include "butterfly/Reference/Projection.h"
#include "butterfly/Reference/Kernels.h"

#include "gtest/gtest.h"

#include <random>

using namespace butterfly;
using namespace butterfly::ref;

namespace {

Tensor randomTensor(std::vector<int64_t> shape, unsigned seed) {
  Tensor t = Tensor::zeros(ElementKind::F32, std::move(shape));
  std::mt19937 gen(seed);
  std::normal_distribution<float> normal;
  for (float &v : t.data)
    v = normal(gen);
  return t;
}

/// The dense [in, out] weight of a butterfly linear.
Tensor denseOf(const Tensor &twiddles, int64_t in, int64_t out,
               bool increasing) {
  Tensor identity = Tensor::zeros(ElementKind::F32, {in, in});
  for (int64_t c = 0; c < in; ++c)
    identity.data[c * in + c] = 1;
  return butterflyLinear(identity, twiddles, nullptr, increasing, out);
}

struct Case {
  int64_t in, out;
  bool increasing;
};

class ExactRecovery : public ::testing::TestWithParam<Case> {};

TEST_P(ExactRecovery, RecoversButterflies) {
  Case c = GetParam();
  int64_t logN = 0;
  while ((int64_t(1) << logN) < c.in)
    ++logN;
  int64_t n = int64_t(1) << logN, stacks = (c.out + n - 1) / n;
  Tensor twiddles = randomTensor({stacks, 1, logN, n / 2, 2, 2}, 7);
  Tensor weight = denseOf(twiddles, c.in, c.out, c.increasing);
  ButterflyProjection projection =
      projectToButterfly(weight, /*numBlocks=*/1, c.increasing);
  // Only power-of-two inputs are recoverable in general: padded input columns
  // are zero in the target, which a random butterfly does not have.
  if (c.in == n)
    EXPECT_LT(projection.relativeError, 1e-5);
  else
    EXPECT_LT(projection.relativeError, 1.0);
  Tensor refit = denseOf(projection.twiddles, c.in, c.out, c.increasing);
  double errorSq = 0, normSq = 0;
  for (size_t i = 0; i < weight.data.size(); ++i) {
    errorSq += std::pow(refit.data[i] - weight.data[i], 2);
    normSq += std::pow(weight.data[i], 2);
  }
  EXPECT_NEAR(std::sqrt(errorSq / normSq), projection.relativeError, 1e-6);
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, ExactRecovery,
    ::testing::Values(Case{2, 2, true}, Case{4, 4, true}, Case{8, 8, false},
                      Case{16, 16, true}, Case{16, 16, false},
                      Case{32, 32, true}, Case{64, 64, false},
                      Case{16, 40, true}, Case{16, 12, false},
                      Case{12, 20, true}),
    [](const ::testing::TestParamInfo<Case> &info) {
      return "in" + std::to_string(info.param.in) + "_out" +
             std::to_string(info.param.out) +
             (info.param.increasing ? "_increasing" : "_decreasing");
    });

TEST(ProjectionTest, DenseWeightsAreApproximated) {
  Tensor weight = randomTensor({32, 32}, 3);
  ButterflyProjection projection = projectToButterfly(weight, 1, true);
  EXPECT_GT(projection.relativeError, 0.1); // a random matrix is no butterfly
  EXPECT_LT(projection.relativeError, 1.0); // but better than zero
}

TEST(ProjectionTest, ExtraBlocksAreIdentities) {
  Tensor twiddles = randomTensor({1, 1, 3, 4, 2, 2}, 5);
  Tensor weight = denseOf(twiddles, 8, 8, true);
  ButterflyProjection projection = projectToButterfly(weight, 3, true);
  ASSERT_EQ(projection.twiddles.shape,
            (std::vector<int64_t>{1, 3, 3, 4, 2, 2}));
  EXPECT_LT(projection.relativeError, 1e-5);
}

TEST(ProjectionTest, ZeroWeight) {
  Tensor weight = Tensor::zeros(ElementKind::F32, {8, 8});
  EXPECT_EQ(projectToButterfly(weight, 1, false).relativeError, 0.0);
}

} // namespace
