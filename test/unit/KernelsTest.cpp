//===- KernelsTest.cpp - Dense reference kernels --------------------------===//
//
// Attention, softmax, layer norm, GELU, matmul, transpose and linear against
// naive loops written here and against values computed by hand.
//
//===----------------------------------------------------------------------===//

#include "butterfly/Reference/Kernels.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>
#include <random>

using namespace butterfly;

namespace {

Tensor randomTensor(std::vector<int64_t> shape, unsigned seed,
                    ElementKind kind = ElementKind::F32) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  Tensor t = Tensor::zeros(kind, std::move(shape));
  for (float &v : t.data)
    v = dist(rng);
  return t;
}

Tensor fromValues(std::vector<int64_t> shape, std::vector<float> values) {
  Tensor t = Tensor::zeros(ElementKind::F32, std::move(shape));
  EXPECT_EQ(t.data.size(), values.size());
  t.data = std::move(values);
  return t;
}

//===----------------------------------------------------------------------===//
// attention
//===----------------------------------------------------------------------===//

/// Naive attention. maskAt(b, h, i, j) returns the additive mask value.
template <typename MaskFn>
std::vector<double> naiveAttention(const Tensor &q, const Tensor &k,
                                   const Tensor &v, double scale, bool causal,
                                   MaskFn maskAt) {
  int64_t bDim = q.shape[0], hDim = q.shape[1], lq = q.shape[2],
          dh = q.shape[3], lk = k.shape[2], dv = v.shape[3];
  std::vector<double> out(bDim * hDim * lq * dv, 0.0);
  for (int64_t b = 0; b < bDim; ++b)
    for (int64_t h = 0; h < hDim; ++h)
      for (int64_t i = 0; i < lq; ++i) {
        std::vector<double> s(lk);
        double m = -INFINITY;
        for (int64_t j = 0; j < lk; ++j) {
          double dot = 0;
          for (int64_t d = 0; d < dh; ++d)
            dot += q.data[((b * hDim + h) * lq + i) * dh + d] *
                   double(k.data[((b * hDim + h) * lk + j) * dh + d]);
          s[j] = scale * dot + maskAt(b, h, i, j);
          if (causal && j > i)
            s[j] = -INFINITY;
          m = std::max(m, s[j]);
        }
        double sum = 0;
        for (double &e : s)
          sum += (e = std::exp(e - m));
        for (int64_t j = 0; j < lk; ++j)
          for (int64_t d = 0; d < dv; ++d)
            out[((b * hDim + h) * lq + i) * dv + d] +=
                s[j] / sum * v.data[((b * hDim + h) * lk + j) * dv + d];
      }
  return out;
}

void expectAllNear(const Tensor &got, const std::vector<double> &want,
                   double tol) {
  ASSERT_EQ(got.data.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i)
    EXPECT_NEAR(got.data[i], want[i], tol) << "element " << i;
}

TEST(AttentionTest, CausalWithDifferentLengths) {
  for (auto [lq, lk] : {std::pair<int64_t, int64_t>{3, 5}, {5, 3}, {4, 4}}) {
    Tensor q = randomTensor({2, 3, lq, 4}, 1);
    Tensor k = randomTensor({2, 3, lk, 4}, 2);
    Tensor v = randomTensor({2, 3, lk, 6}, 3);
    Tensor y = ref::attention(q, k, v, nullptr, 0.5, /*causal=*/true);
    ASSERT_EQ(y.shape, (std::vector<int64_t>{2, 3, lq, 6}));
    expectAllNear(
        y,
        naiveAttention(q, k, v, 0.5, true,
                       [](int64_t, int64_t, int64_t, int64_t) { return 0.0; }),
        1e-5);
  }
  // Top-left alignment: with Lq = 1 < Lk only key 0 is visible, so the output
  // is v's first row.
  Tensor q = randomTensor({1, 1, 1, 2}, 4);
  Tensor k = randomTensor({1, 1, 3, 2}, 5);
  Tensor v = randomTensor({1, 1, 3, 2}, 6);
  Tensor y = ref::attention(q, k, v, nullptr, 1.0, true);
  EXPECT_FLOAT_EQ(y.data[0], v.data[0]);
  EXPECT_FLOAT_EQ(y.data[1], v.data[1]);
}

TEST(AttentionTest, NoMask) {
  Tensor q = randomTensor({1, 2, 3, 5}, 7);
  Tensor k = randomTensor({1, 2, 4, 5}, 8);
  Tensor v = randomTensor({1, 2, 4, 3}, 9);
  Tensor y = ref::attention(q, k, v, nullptr, 1.0 / std::sqrt(5.0), false);
  expectAllNear(
      y,
      naiveAttention(q, k, v, 1.0 / std::sqrt(5.0), false,
                     [](int64_t, int64_t, int64_t, int64_t) { return 0.0; }),
      1e-5);
}

TEST(AttentionTest, Rank2AdditiveMask) {
  Tensor q = randomTensor({2, 2, 3, 4}, 10);
  Tensor k = randomTensor({2, 2, 5, 4}, 11);
  Tensor v = randomTensor({2, 2, 5, 3}, 12);
  Tensor mask = randomTensor({3, 5}, 13);
  mask.data[1] = -std::numeric_limits<float>::infinity(); // hide (0, 1)
  Tensor y = ref::attention(q, k, v, &mask, 0.7, false);
  expectAllNear(y,
                naiveAttention(q, k, v, 0.7, false,
                               [&](int64_t, int64_t, int64_t i, int64_t j) {
                                 return double(mask.data[i * 5 + j]);
                               }),
                1e-5);
  // Mask and causal combine.
  Tensor yc = ref::attention(q, k, v, &mask, 0.7, true);
  expectAllNear(yc,
                naiveAttention(q, k, v, 0.7, true,
                               [&](int64_t, int64_t, int64_t i, int64_t j) {
                                 return double(mask.data[i * 5 + j]);
                               }),
                1e-5);
}

TEST(AttentionTest, Rank4BroadcastMask) {
  Tensor q = randomTensor({2, 3, 4, 2}, 14);
  Tensor k = randomTensor({2, 3, 6, 2}, 15);
  Tensor v = randomTensor({2, 3, 6, 5}, 16);
  // [1, H, Lq, Lk]: shared over the batch.
  Tensor perHead = randomTensor({1, 3, 4, 6}, 17);
  expectAllNear(ref::attention(q, k, v, &perHead, 1.0, false),
                naiveAttention(q, k, v, 1.0, false,
                               [&](int64_t, int64_t h, int64_t i, int64_t j) {
                                 return double(
                                     perHead.data[(h * 4 + i) * 6 + j]);
                               }),
                1e-5);
  // [B, 1, Lq, Lk]: shared over the heads.
  Tensor perBatch = randomTensor({2, 1, 4, 6}, 18);
  expectAllNear(ref::attention(q, k, v, &perBatch, 1.0, true),
                naiveAttention(q, k, v, 1.0, true,
                               [&](int64_t b, int64_t, int64_t i, int64_t j) {
                                 return double(
                                     perBatch.data[(b * 4 + i) * 6 + j]);
                               }),
                1e-5);
  // Full [B, H, Lq, Lk].
  Tensor full = randomTensor({2, 3, 4, 6}, 19);
  expectAllNear(ref::attention(q, k, v, &full, 1.0, false),
                naiveAttention(q, k, v, 1.0, false,
                               [&](int64_t b, int64_t h, int64_t i, int64_t j) {
                                 return double(
                                     full.data[((b * 3 + h) * 4 + i) * 6 + j]);
                               }),
                1e-5);
}

//===----------------------------------------------------------------------===//
// softmax, layerNorm, gelu, relu
//===----------------------------------------------------------------------===//

TEST(SoftmaxTest, HandComputed) {
  Tensor y = ref::softmax(fromValues({3}, {1, 2, 3}), 0);
  EXPECT_NEAR(y.data[0], 0.09003057317038046, 1e-7);
  EXPECT_NEAR(y.data[1], 0.24472847105479767, 1e-7);
  EXPECT_NEAR(y.data[2], 0.6652409557748219, 1e-7);
  // Large values must not overflow (max subtracted).
  Tensor big = ref::softmax(fromValues({2}, {1000, 1000}), 0);
  EXPECT_FLOAT_EQ(big.data[0], 0.5f);
  EXPECT_FLOAT_EQ(big.data[1], 0.5f);
}

TEST(SoftmaxTest, SlicesSumToOne) {
  Tensor x = randomTensor({4, 7, 3}, 20);
  for (float &v : x.data)
    v *= 10;
  for (int64_t axis : {0, 1, 2, -1}) {
    Tensor y = ref::softmax(x, axis);
    int64_t a = axis < 0 ? axis + 3 : axis;
    std::vector<int64_t> strides = rowMajorStrides(x.shape);
    for (int64_t i = 0; i < x.numElements(); ++i) {
      if ((i / strides[a]) % x.shape[a] != 0)
        continue; // start of each slice only
      double sum = 0;
      for (int64_t j = 0; j < x.shape[a]; ++j)
        sum += y.data[i + j * strides[a]];
      EXPECT_NEAR(sum, 1.0, 1e-6) << "axis " << axis;
    }
  }
}

TEST(SoftmaxTest, AllMinusInfinityGivesNaN) {
  float inf = std::numeric_limits<float>::infinity();
  Tensor y = ref::softmax(fromValues({2, 2}, {-inf, -inf, 0, -inf}), 1);
  EXPECT_TRUE(std::isnan(y.data[0]));
  EXPECT_TRUE(std::isnan(y.data[1]));
  EXPECT_FLOAT_EQ(y.data[2], 1.0f);
  EXPECT_FLOAT_EQ(y.data[3], 0.0f);
}

TEST(LayerNormTest, HandComputed) {
  // mean 2.5, biased variance 1.25; with eps 0.25, 1/sqrt(1.5).
  Tensor x = fromValues({2, 4}, {1, 2, 3, 4, 4, 3, 2, 1});
  Tensor gamma = fromValues({4}, {1, 2, 1, 1});
  Tensor beta = fromValues({4}, {0, 0, 1, 0});
  Tensor y = ref::layerNorm(x, gamma, beta, 0.25);
  const double c = 0.816496580927726; // 1/sqrt(1.5)
  std::vector<double> want = {-1.5 * c, -0.5 * c * 2, 0.5 * c + 1,  1.5 * c,
                              1.5 * c,  0.5 * c * 2,  -0.5 * c + 1, -1.5 * c};
  for (int i = 0; i < 8; ++i)
    EXPECT_NEAR(y.data[i], want[i], 1e-6) << i;
}

TEST(GeluTest, KnownValues) {
  Tensor x = fromValues({4}, {1, -1, 0, 3});
  Tensor e = ref::gelu(x, false);
  EXPECT_NEAR(e.data[0], 0.8413447460685429, 1e-7);
  EXPECT_NEAR(e.data[1], -0.15865525393145707, 1e-7);
  EXPECT_EQ(e.data[2], 0.0f);
  EXPECT_NEAR(e.data[3], 2.99595030590511, 1e-6);
  Tensor t = ref::gelu(x, true);
  EXPECT_NEAR(t.data[0], 0.8411919906082768, 1e-7);
  EXPECT_NEAR(t.data[1], -0.15880800939172324, 1e-7);
  EXPECT_EQ(t.data[2], 0.0f);
}

TEST(ReluTest, Values) {
  float nan = std::numeric_limits<float>::quiet_NaN();
  Tensor y = ref::relu(fromValues({4}, {-2, 0, 3, nan}));
  EXPECT_EQ(y.data[0], 0.0f);
  EXPECT_EQ(y.data[1], 0.0f);
  EXPECT_EQ(y.data[2], 3.0f);
  EXPECT_TRUE(std::isnan(y.data[3]));
}

//===----------------------------------------------------------------------===//
// matmul, linear, transpose, elementwise
//===----------------------------------------------------------------------===//

std::vector<double> naiveMatmul(const Tensor &a, const Tensor &b,
                                bool broadcast) {
  int64_t batch = a.shape[0], m = a.shape[1], k = a.shape[2],
          n = b.shape.back();
  std::vector<double> out(batch * m * n, 0.0);
  for (int64_t bi = 0; bi < batch; ++bi)
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j)
        for (int64_t kk = 0; kk < k; ++kk)
          out[(bi * m + i) * n + j] +=
              double(a.data[(bi * m + i) * k + kk]) *
              b.data[((broadcast ? 0 : bi) * k + kk) * n + j];
  return out;
}

TEST(MatmulTest, BatchedAndBroadcast) {
  Tensor a = randomTensor({2, 3, 4}, 30);
  Tensor b2 = randomTensor({4, 5}, 31);
  Tensor y = ref::matmul(a, b2);
  ASSERT_EQ(y.shape, (std::vector<int64_t>{2, 3, 5}));
  expectAllNear(y, naiveMatmul(a, b2, true), 1e-6);
  Tensor b3 = randomTensor({2, 4, 5}, 32);
  Tensor y3 = ref::matmul(a, b3);
  ASSERT_EQ(y3.shape, (std::vector<int64_t>{2, 3, 5}));
  expectAllNear(y3, naiveMatmul(a, b3, false), 1e-6);
  // Plain 2-D.
  Tensor m =
      ref::matmul(fromValues({2, 2}, {1, 2, 3, 4}), fromValues({2, 1}, {5, 6}));
  EXPECT_EQ(m.data, (std::vector<float>{17, 39}));
}

TEST(LinearTest, WithAndWithoutBias) {
  // x [2, 3], w [3, 2] (x·W, not PyTorch's layout).
  Tensor x = fromValues({2, 3}, {1, 2, 3, 4, 5, 6});
  Tensor w = fromValues({3, 2}, {1, 0, 0, 1, 1, 1});
  Tensor bias = fromValues({2}, {10, 20});
  Tensor y = ref::linear(x, w, nullptr);
  ASSERT_EQ(y.shape, (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(y.data, (std::vector<float>{4, 5, 10, 11}));
  Tensor yb = ref::linear(x, w, &bias);
  EXPECT_EQ(yb.data, (std::vector<float>{14, 25, 20, 31}));
  // Leading batch dims are flattened.
  Tensor x3 = randomTensor({2, 3, 4}, 33);
  Tensor w3 = randomTensor({4, 5}, 34);
  Tensor b3 = randomTensor({5}, 35);
  Tensor y3 = ref::linear(x3, w3, &b3);
  ASSERT_EQ(y3.shape, (std::vector<int64_t>{2, 3, 5}));
  std::vector<double> want = naiveMatmul(x3, w3, true);
  for (size_t i = 0; i < want.size(); ++i)
    want[i] += b3.data[i % 5];
  expectAllNear(y3, want, 1e-6);
}

TEST(TransposeTest, Permutation) {
  Tensor x = randomTensor({2, 3, 4}, 40);
  Tensor y = ref::transpose(x, {2, 0, 1});
  ASSERT_EQ(y.shape, (std::vector<int64_t>{4, 2, 3}));
  for (int64_t i = 0; i < 4; ++i)
    for (int64_t j = 0; j < 2; ++j)
      for (int64_t k = 0; k < 3; ++k)
        EXPECT_EQ(y.data[(i * 2 + j) * 3 + k], x.data[(j * 3 + k) * 4 + i]);
  // Complex elements move as a whole.
  Tensor c = randomTensor({2, 3}, 41, ElementKind::Complex64);
  Tensor ct = ref::transpose(c, {1, 0});
  ASSERT_EQ(ct.shape, (std::vector<int64_t>{3, 2}));
  for (int64_t i = 0; i < 3; ++i)
    for (int64_t j = 0; j < 2; ++j) {
      EXPECT_EQ(ct.data[2 * (i * 2 + j)], c.data[2 * (j * 3 + i)]);
      EXPECT_EQ(ct.data[2 * (i * 2 + j) + 1], c.data[2 * (j * 3 + i) + 1]);
    }
  // Identity and rank 0.
  EXPECT_EQ(ref::transpose(x, {0, 1, 2}).data, x.data);
  Tensor s = fromValues({}, {7});
  EXPECT_EQ(ref::transpose(s, {}).data, s.data);
}

TEST(ElementwiseTest, AddMulScaleComplex) {
  Tensor a = Tensor::zeros(ElementKind::Complex64, {2});
  a.data = {1, 2, 3, -1};
  Tensor b = Tensor::zeros(ElementKind::Complex64, {2});
  b.data = {0, 1, 2, 2};
  EXPECT_EQ(ref::add(a, b).data, (std::vector<float>{1, 3, 5, 1}));
  // (1+2i)(i) = -2+i; (3-i)(2+2i) = 8+4i.
  EXPECT_EQ(ref::mul(a, b).data, (std::vector<float>{-2, 1, 8, 4}));
  EXPECT_EQ(ref::scale(a, 2.0).data, (std::vector<float>{2, 4, 6, -2}));
  Tensor r = fromValues({2}, {1.5, -2});
  EXPECT_EQ(ref::mul(r, r).data, (std::vector<float>{2.25, 4}));
  EXPECT_EQ(ref::real(a).data, (std::vector<float>{1, 3}));
  EXPECT_EQ(ref::toComplex(r, nullptr).data,
            (std::vector<float>{1.5, 0, -2, 0}));
  EXPECT_EQ(ref::toComplex(r, &r).data, (std::vector<float>{1.5, 1.5, -2, -2}));
  Tensor reshaped = ref::reshape(a, {1, 2, 1});
  EXPECT_EQ(reshaped.shape, (std::vector<int64_t>{1, 2, 1}));
  EXPECT_EQ(reshaped.data, a.data);
}

TEST(TensorTest, Strings) {
  EXPECT_EQ(Tensor::zeros(ElementKind::F32, {2, 3}).typeString(),
            "tensor<2x3xf32>");
  EXPECT_EQ(Tensor::zeros(ElementKind::Complex64, {4}).typeString(),
            "tensor<4xcomplex<f32>>");
  EXPECT_EQ(Tensor::zeros(ElementKind::F32, {}).typeString(), "tensor<f32>");
  EXPECT_EQ(Tensor::zeros(ElementKind::F32, {2, 3, 4}).shapeString(), "2x3x4");
  EXPECT_EQ(Tensor::zeros(ElementKind::F32, {}).shapeString(), "scalar");
  EXPECT_EQ(Tensor::zeros(ElementKind::Complex64, {3}).data.size(), 6u);
}

} // namespace
