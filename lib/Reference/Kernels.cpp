//===- Kernels.cpp - CPU reference math of the bfly ops ---------*- C++ -*-===//
//
// Straightforward loops in double precision. Speed matters only insofar as
// the tests and the reference interpreter must stay quick; clarity and
// accuracy come first, since every other result in the project is checked
// against these.
//
//===----------------------------------------------------------------------===//

#include "butterfly/Reference/Kernels.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <complex>
#include <limits>
#include <map>
#include <memory>
#include <mutex>

using namespace butterfly;
using namespace butterfly::ref;

using Complex = std::complex<double>;

namespace {

constexpr double kPi = 3.14159265358979323846264338327950288;

int64_t product(llvm::ArrayRef<int64_t> dims) {
  int64_t n = 1;
  for (int64_t d : dims)
    n *= d;
  return n;
}

int64_t normalizeAxis(int64_t axis, int64_t rank) {
  if (axis < 0)
    axis += rank;
  assert(axis >= 0 && axis < rank && "axis out of range");
  return axis;
}

bool isPowerOfTwo(int64_t n) { return n > 0 && (n & (n - 1)) == 0; }

int64_t log2Exact(int64_t n) {
  assert(isPowerOfTwo(n));
  int64_t l = 0;
  while ((int64_t(1) << l) < n)
    ++l;
  return l;
}

/// Smallest power of two >= n (1 for n <= 1).
int64_t nextPowerOfTwo(int64_t n) {
  int64_t p = 1;
  while (p < n)
    p <<= 1;
  return p;
}

// Element access in double / complex<double>, so that templated kernels work
// on either kind.
template <typename T> T load(const Tensor &t, int64_t i);
template <> double load<double>(const Tensor &t, int64_t i) {
  return t.data[i];
}
template <> Complex load<Complex>(const Tensor &t, int64_t i) {
  return Complex(t.data[2 * i], t.data[2 * i + 1]);
}
void store(Tensor &t, int64_t i, double v) {
  t.data[i] = static_cast<float>(v);
}
void store(Tensor &t, int64_t i, Complex v) {
  t.data[2 * i] = static_cast<float>(v.real());
  t.data[2 * i + 1] = static_cast<float>(v.imag());
}

/// Softmax of \p s in place. NaN anywhere, an all -inf slice or a +inf make
/// the whole slice NaN, exactly as PyTorch's max-subtracting softmax does.
void softmaxInPlace(double *s, int64_t n) {
  double m = -std::numeric_limits<double>::infinity();
  for (int64_t j = 0; j < n; ++j) {
    if (std::isnan(s[j])) {
      m = s[j];
      break;
    }
    m = std::max(m, s[j]);
  }
  double sum = 0;
  for (int64_t j = 0; j < n; ++j) {
    s[j] = std::exp(s[j] - m);
    sum += s[j];
  }
  for (int64_t j = 0; j < n; ++j)
    s[j] /= sum;
}

//===----------------------------------------------------------------------===//
// FFT plans
//===----------------------------------------------------------------------===//

/// e^{-2 pi i k / n}, with k reduced mod n so the angle stays in [0, 2 pi).
Complex unitRoot(int64_t k, int64_t n) {
  k %= n;
  if (k < 0)
    k += n;
  double angle = 2.0 * kPi * static_cast<double>(k) / static_cast<double>(n);
  return Complex(std::cos(angle), -std::sin(angle));
}

struct Radix2Plan {
  int64_t n = 0;
  std::vector<Complex> twiddles;   // e^{-2 pi i k/n}, k < n/2
  std::vector<int64_t> bitReverse; // bitReverse[i] = bitrev_log2(n)(i)
};

/// A length-n DFT. For powers of two, radix2 has size n; otherwise it is the
/// size-m (m >= 2n-1) convolution of Bluestein's algorithm.
struct FftPlan {
  int64_t n = 0;
  bool bluestein = false;
  std::shared_ptr<const Radix2Plan> radix2;
  std::vector<Complex> chirp;     // e^{-i pi j^2 / n}, j < n
  std::vector<Complex> kernelFft; // FFT of conj(chirp) wrapped to size m
};

int64_t bitReverseIndex(int64_t i, int64_t bits) {
  int64_t r = 0;
  for (int64_t b = 0; b < bits; ++b)
    r |= ((i >> b) & 1) << (bits - 1 - b);
  return r;
}

std::shared_ptr<const Radix2Plan> makeRadix2Plan(int64_t n) {
  auto plan = std::make_shared<Radix2Plan>();
  plan->n = n;
  int64_t bits = log2Exact(n);
  plan->twiddles.resize(n / 2);
  for (int64_t k = 0; k < n / 2; ++k)
    plan->twiddles[k] = unitRoot(k, n);
  plan->bitReverse.resize(n);
  for (int64_t i = 0; i < n; ++i)
    plan->bitReverse[i] = bitReverseIndex(i, bits);
  return plan;
}

/// In-place forward DFT of a[0, n) (iterative decimation in time).
void radix2Forward(const Radix2Plan &plan, Complex *a) {
  int64_t n = plan.n;
  for (int64_t i = 0; i < n; ++i) {
    int64_t r = plan.bitReverse[i];
    if (i < r)
      std::swap(a[i], a[r]);
  }
  for (int64_t len = 2; len <= n; len <<= 1) {
    int64_t half = len / 2, step = n / len;
    for (int64_t base = 0; base < n; base += len) {
      for (int64_t j = 0; j < half; ++j) {
        Complex u = a[base + j];
        Complex v = a[base + j + half] * plan.twiddles[j * step];
        a[base + j] = u + v;
        a[base + j + half] = u - v;
      }
    }
  }
}

/// In-place unscaled inverse DFT via conj(DFT(conj(a))).
void radix2Backward(const Radix2Plan &plan, Complex *a) {
  for (int64_t i = 0; i < plan.n; ++i)
    a[i] = std::conj(a[i]);
  radix2Forward(plan, a);
  for (int64_t i = 0; i < plan.n; ++i)
    a[i] = std::conj(a[i]);
}

std::shared_ptr<const Radix2Plan> getRadix2Plan(int64_t n);

std::shared_ptr<const FftPlan> makeFftPlan(int64_t n) {
  auto plan = std::make_shared<FftPlan>();
  plan->n = n;
  if (isPowerOfTwo(n)) {
    plan->radix2 = getRadix2Plan(n);
    return plan;
  }
  // Bluestein: jk = (j^2 + k^2 - (k-j)^2) / 2 turns the DFT into a circular
  // convolution with the chirp, done exactly by a power-of-two FFT.
  plan->bluestein = true;
  int64_t m = nextPowerOfTwo(2 * n - 1);
  plan->radix2 = getRadix2Plan(m);
  plan->chirp.resize(n);
  for (int64_t j = 0; j < n; ++j) {
    // e^{-i pi j^2/n} has period 2n in j^2; reduce before forming the angle.
    uint64_t r = (uint64_t(j) * uint64_t(j)) % uint64_t(2 * n);
    double angle = kPi * static_cast<double>(r) / static_cast<double>(n);
    plan->chirp[j] = Complex(std::cos(angle), -std::sin(angle));
  }
  plan->kernelFft.assign(m, Complex(0, 0));
  plan->kernelFft[0] = std::conj(plan->chirp[0]);
  for (int64_t t = 1; t < n; ++t)
    plan->kernelFft[t] = plan->kernelFft[m - t] = std::conj(plan->chirp[t]);
  radix2Forward(*plan->radix2, plan->kernelFft.data());
  return plan;
}

// Plans are immutable once built; the caches only grow, guarded by a mutex
// because the reference interpreter may run kernels from several threads.
std::mutex planMutex;

std::shared_ptr<const Radix2Plan> getRadix2Plan(int64_t n) {
  static std::map<int64_t, std::shared_ptr<const Radix2Plan>> cache;
  {
    std::lock_guard<std::mutex> lock(planMutex);
    auto it = cache.find(n);
    if (it != cache.end())
      return it->second;
  }
  auto plan = makeRadix2Plan(n);
  std::lock_guard<std::mutex> lock(planMutex);
  return cache.emplace(n, plan).first->second;
}

std::shared_ptr<const FftPlan> getFftPlan(int64_t n) {
  static std::map<int64_t, std::shared_ptr<const FftPlan>> cache;
  {
    std::lock_guard<std::mutex> lock(planMutex);
    auto it = cache.find(n);
    if (it != cache.end())
      return it->second;
  }
  auto plan = makeFftPlan(n);
  std::lock_guard<std::mutex> lock(planMutex);
  return cache.emplace(n, plan).first->second;
}

/// In-place DFT of a[0, n) following numpy.fft (inverse scaled by 1/n).
/// \p work is scratch space reused across calls.
void transformLine(const FftPlan &plan, Complex *a, bool inverse,
                   std::vector<Complex> &work) {
  int64_t n = plan.n;
  if (inverse)
    for (int64_t i = 0; i < n; ++i)
      a[i] = std::conj(a[i]);

  if (!plan.bluestein) {
    radix2Forward(*plan.radix2, a);
  } else {
    int64_t m = plan.radix2->n;
    work.assign(m, Complex(0, 0));
    for (int64_t j = 0; j < n; ++j)
      work[j] = a[j] * plan.chirp[j];
    radix2Forward(*plan.radix2, work.data());
    for (int64_t i = 0; i < m; ++i)
      work[i] *= plan.kernelFft[i];
    radix2Backward(*plan.radix2, work.data());
    double invM = 1.0 / static_cast<double>(m);
    for (int64_t k = 0; k < n; ++k)
      a[k] = work[k] * invM * plan.chirp[k];
  }

  if (inverse) {
    double invN = 1.0 / static_cast<double>(n);
    for (int64_t i = 0; i < n; ++i)
      a[i] = std::conj(a[i]) * invN;
  }
}

/// DFT of every line of length shape[dim] of a dense buffer of the given
/// shape, in place.
void transformAlong(std::vector<Complex> &buf, llvm::ArrayRef<int64_t> shape,
                    int64_t dim, bool inverse) {
  int64_t n = shape[dim];
  if (n == 0)
    return;
  int64_t outer = product(shape.take_front(dim));
  int64_t inner = product(shape.drop_front(dim + 1));
  std::shared_ptr<const FftPlan> plan = getFftPlan(n);
  std::vector<Complex> line(n), work;
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t in = 0; in < inner; ++in) {
      Complex *base = buf.data() + o * n * inner + in;
      for (int64_t i = 0; i < n; ++i)
        line[i] = base[i * inner];
      transformLine(*plan, line.data(), inverse, work);
      for (int64_t i = 0; i < n; ++i)
        base[i * inner] = line[i];
    }
  }
}

//===----------------------------------------------------------------------===//
// Butterfly helpers
//===----------------------------------------------------------------------===//

/// y = one butterfly factor applied to x (both of length n), twiddle
/// tw[n/2][2][2] flattened.
template <typename T>
void applyStage(const T *tw, const T *x, T *y, int64_t n, int64_t stride) {
  int64_t groups = n / (2 * stride);
  for (int64_t j = 0; j < groups; ++j) {
    for (int64_t kk = 0; kk < stride; ++kk) {
      const T *t = tw + 4 * (j * stride + kk);
      int64_t i0 = j * 2 * stride + kk, i1 = i0 + stride;
      T x0 = x[i0], x1 = x[i1];
      y[i0] = t[0] * x0 + t[1] * x1;
      y[i1] = t[2] * x0 + t[3] * x1;
    }
  }
}

template <typename T> std::vector<T> loadAll(const Tensor &t) {
  int64_t n = t.numElements();
  std::vector<T> v(n);
  for (int64_t i = 0; i < n; ++i)
    v[i] = load<T>(t, i);
  return v;
}

template <typename T>
Tensor butterflyStageImpl(const Tensor &x, const Tensor &twiddle,
                          int64_t stride) {
  int64_t k = twiddle.rank() - 3;
  int64_t n = x.shape.back();
  int64_t stacks =
      product(llvm::ArrayRef<int64_t>(twiddle.shape).take_front(k));
  std::vector<T> tw = loadAll<T>(twiddle);
  Tensor y = Tensor::zeros(x.kind, x.shape);
  int64_t rows = stacks * n == 0 ? 0 : x.numElements() / n;
  std::vector<T> in(n), out(n);
  for (int64_t r = 0; r < rows; ++r) {
    const T *t = tw.data() + (r % stacks) * (n / 2) * 4;
    for (int64_t i = 0; i < n; ++i)
      in[i] = load<T>(x, r * n + i);
    applyStage(t, in.data(), out.data(), n, stride);
    for (int64_t i = 0; i < n; ++i)
      store(y, r * n + i, out[i]);
  }
  return y;
}

template <typename T>
Tensor butterflyLinearImpl(const Tensor &x, const Tensor &twiddle,
                           const Tensor *bias, bool increasingStride,
                           int64_t outFeatures) {
  int64_t in = x.shape.back();
  int64_t nstacks = twiddle.shape[0], nblocks = twiddle.shape[1];
  int64_t logN = twiddle.shape[2];
  int64_t n = int64_t(1) << logN;
  int64_t rows = in == 0 ? 0 : x.numElements() / in;
  std::vector<T> tw = loadAll<T>(twiddle);
  std::vector<T> b;
  if (bias)
    b = loadAll<T>(*bias);

  std::vector<int64_t> outShape = x.shape;
  outShape.back() = outFeatures;
  Tensor y = Tensor::zeros(x.kind, outShape);
  std::vector<T> cur(n), next(n), concat(nstacks * n);
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t s = 0; s < nstacks; ++s) {
      // Zero-pad the input to n.
      for (int64_t i = 0; i < n; ++i)
        cur[i] = i < in ? load<T>(x, r * in + i) : T(0);
      bool increasing = increasingStride;
      for (int64_t blk = 0; blk < nblocks; ++blk) {
        for (int64_t idx = 0; idx < logN; ++idx) {
          int64_t logStride = increasing ? idx : logN - 1 - idx;
          const T *t = tw.data() + ((s * nblocks + blk) * logN + idx) * 2 * n;
          applyStage(t, cur.data(), next.data(), n, int64_t(1) << logStride);
          std::swap(cur, next);
        }
        increasing = !increasing;
      }
      std::copy(cur.begin(), cur.end(), concat.begin() + s * n);
    }
    for (int64_t o = 0; o < outFeatures; ++o)
      store(y, r * outFeatures + o, bias ? concat[o] + b[o] : concat[o]);
  }
  return y;
}

} // namespace

//===----------------------------------------------------------------------===//
// Dense kernels
//===----------------------------------------------------------------------===//

Tensor ref::linear(const Tensor &x, const Tensor &w, const Tensor *bias) {
  assert(!x.isComplex() && !w.isComplex() && "linear is f32 only");
  assert(x.rank() >= 1 && w.rank() == 2 && w.shape[0] == x.shape.back() &&
         "linear: x [..., K] and w [K, N] expected");
  int64_t kDim = w.shape[0], nDim = w.shape[1];
  assert((!bias ||
          (!bias->isComplex() && bias->shape == std::vector<int64_t>{nDim})) &&
         "linear: bias [N] expected");
  std::vector<int64_t> outShape = x.shape;
  outShape.back() = nDim;
  Tensor y = Tensor::zeros(ElementKind::F32, outShape);
  int64_t rows = product(llvm::ArrayRef<int64_t>(x.shape).drop_back());
  std::vector<double> acc(nDim);
  for (int64_t r = 0; r < rows; ++r) {
    std::fill(acc.begin(), acc.end(), 0.0);
    for (int64_t k = 0; k < kDim; ++k) {
      double xv = x.data[r * kDim + k];
      const float *wRow = w.data.data() + k * nDim;
      for (int64_t n = 0; n < nDim; ++n)
        acc[n] += xv * double(wRow[n]);
    }
    for (int64_t n = 0; n < nDim; ++n)
      y.data[r * nDim + n] =
          static_cast<float>(bias ? acc[n] + double(bias->data[n]) : acc[n]);
  }
  return y;
}

Tensor ref::matmul(const Tensor &a, const Tensor &b) {
  assert(!a.isComplex() && !b.isComplex() && "matmul is f32 only");
  assert(a.rank() >= 2 && "matmul: a [..., M, K] expected");
  int64_t rank = a.rank();
  int64_t mDim = a.shape[rank - 2], kDim = a.shape[rank - 1];
  bool broadcastB = b.rank() == 2;
  assert((broadcastB ||
          (b.rank() == rank &&
           std::equal(a.shape.begin(), a.shape.end() - 2, b.shape.begin()))) &&
         "matmul: b must be [K, N] or have a's batch dims");
  assert(b.shape[b.rank() - 2] == kDim && "matmul: contraction dims differ");
  int64_t nDim = b.shape.back();
  std::vector<int64_t> outShape = a.shape;
  outShape.back() = nDim;
  Tensor y = Tensor::zeros(ElementKind::F32, outShape);
  int64_t batch = product(llvm::ArrayRef<int64_t>(a.shape).drop_back(2));
  std::vector<double> acc(nDim);
  for (int64_t bi = 0; bi < batch; ++bi) {
    const float *aMat = a.data.data() + bi * mDim * kDim;
    const float *bMat = b.data.data() + (broadcastB ? 0 : bi * kDim * nDim);
    float *yMat = y.data.data() + bi * mDim * nDim;
    for (int64_t m = 0; m < mDim; ++m) {
      std::fill(acc.begin(), acc.end(), 0.0);
      for (int64_t k = 0; k < kDim; ++k) {
        double av = aMat[m * kDim + k];
        for (int64_t n = 0; n < nDim; ++n)
          acc[n] += av * double(bMat[k * nDim + n]);
      }
      for (int64_t n = 0; n < nDim; ++n)
        yMat[m * nDim + n] = static_cast<float>(acc[n]);
    }
  }
  return y;
}

/// For each element of \p a, the flat index of the element of \p b that
/// broadcasts onto it (b aligned at a's trailing dimensions, size-1 dims
/// repeated).
static std::vector<int64_t> broadcastIndices(const Tensor &a, const Tensor &b) {
  int64_t rank = a.rank(), offset = a.rank() - b.rank();
  assert(offset >= 0 && "broadcast operand has a higher rank");
  std::vector<int64_t> bStrides = rowMajorStrides(b.shape);
  std::vector<int64_t> index(rank, 0), result(a.numElements());
  for (int64_t flat = 0; flat < a.numElements(); ++flat) {
    int64_t source = 0;
    for (int64_t dim = offset; dim < rank; ++dim) {
      int64_t bDim = dim - offset;
      assert((b.shape[bDim] == 1 || b.shape[bDim] == a.shape[dim]) &&
             "operand does not broadcast");
      if (b.shape[bDim] != 1)
        source += index[dim] * bStrides[bDim];
    }
    result[flat] = source;
    for (int64_t dim = rank; dim-- > 0;) {
      if (++index[dim] < a.shape[dim])
        break;
      index[dim] = 0;
    }
  }
  return result;
}

template <typename Fn>
static Tensor broadcastBinary(const Tensor &a, const Tensor &b, Fn fn) {
  assert(a.kind == b.kind && "operands differ in kind");
  std::vector<int64_t> source = broadcastIndices(a, b);
  Tensor y = Tensor::zeros(a.kind, a.shape);
  for (int64_t i = 0; i < a.numElements(); ++i) {
    if (a.isComplex())
      store(y, i, fn(load<Complex>(a, i), load<Complex>(b, source[i])));
    else
      store(y, i, fn(load<double>(a, i), load<double>(b, source[i])));
  }
  return y;
}

Tensor ref::add(const Tensor &a, const Tensor &b) {
  return broadcastBinary(a, b, [](auto x, auto y) { return x + y; });
}

Tensor ref::mul(const Tensor &a, const Tensor &b) {
  return broadcastBinary(a, b, [](auto x, auto y) { return x * y; });
}

/// Calls \p fn(flatIndexInShape, multiIndex) for every element of \p shape in
/// row-major order.
template <typename Fn>
static void forEachIndex(llvm::ArrayRef<int64_t> shape, Fn fn) {
  int64_t count = product(shape);
  std::vector<int64_t> index(shape.size(), 0);
  for (int64_t flat = 0; flat < count; ++flat) {
    fn(flat, llvm::ArrayRef<int64_t>(index));
    for (size_t dim = shape.size(); dim-- > 0;) {
      if (++index[dim] < shape[dim])
        break;
      index[dim] = 0;
    }
  }
}

static void copyElement(const Tensor &from, int64_t fromIndex, Tensor &to,
                        int64_t toIndex) {
  int64_t width = from.floatsPerElement();
  for (int64_t part = 0; part < width; ++part)
    to.data[toIndex * width + part] = from.data[fromIndex * width + part];
}

Tensor ref::slice(const Tensor &x, llvm::ArrayRef<int64_t> offsets,
                  llvm::ArrayRef<int64_t> sizes) {
  assert(offsets.size() == x.shape.size() && sizes.size() == x.shape.size());
  Tensor y = Tensor::zeros(x.kind, std::vector<int64_t>(sizes));
  std::vector<int64_t> strides = rowMajorStrides(x.shape);
  forEachIndex(sizes, [&](int64_t flat, llvm::ArrayRef<int64_t> index) {
    int64_t source = 0;
    for (size_t dim = 0; dim < index.size(); ++dim)
      source += (offsets[dim] + index[dim]) * strides[dim];
    copyElement(x, source, y, flat);
  });
  return y;
}

Tensor ref::pad(const Tensor &x, llvm::ArrayRef<int64_t> high) {
  assert(high.size() == x.shape.size());
  std::vector<int64_t> shape = x.shape;
  for (size_t dim = 0; dim < shape.size(); ++dim)
    shape[dim] += high[dim];
  Tensor y = Tensor::zeros(x.kind, shape);
  std::vector<int64_t> strides = rowMajorStrides(shape);
  forEachIndex(x.shape, [&](int64_t flat, llvm::ArrayRef<int64_t> index) {
    int64_t target = 0;
    for (size_t dim = 0; dim < index.size(); ++dim)
      target += index[dim] * strides[dim];
    copyElement(x, flat, y, target);
  });
  return y;
}

Tensor ref::concat(llvm::ArrayRef<const Tensor *> inputs, int64_t dim) {
  assert(!inputs.empty());
  std::vector<int64_t> shape = inputs.front()->shape;
  shape[dim] = 0;
  for (const Tensor *input : inputs)
    shape[dim] += input->shape[dim];
  Tensor y = Tensor::zeros(inputs.front()->kind, shape);
  std::vector<int64_t> strides = rowMajorStrides(shape);
  int64_t offset = 0;
  for (const Tensor *input : inputs) {
    forEachIndex(input->shape, [&](int64_t flat,
                                   llvm::ArrayRef<int64_t> index) {
      int64_t target = 0;
      for (size_t d = 0; d < index.size(); ++d)
        target += (index[d] + (int64_t(d) == dim ? offset : 0)) * strides[d];
      copyElement(*input, flat, y, target);
    });
    offset += input->shape[dim];
  }
  return y;
}

Tensor ref::scale(const Tensor &x, double factor) {
  Tensor y = x;
  for (float &v : y.data)
    v = static_cast<float>(double(v) * factor);
  return y;
}

Tensor ref::softmax(const Tensor &x, int64_t axis) {
  assert(!x.isComplex() && "softmax is f32 only");
  axis = normalizeAxis(axis, x.rank());
  int64_t n = x.shape[axis];
  int64_t outer = product(llvm::ArrayRef<int64_t>(x.shape).take_front(axis));
  int64_t inner =
      product(llvm::ArrayRef<int64_t>(x.shape).drop_front(axis + 1));
  Tensor y = Tensor::zeros(x.kind, x.shape);
  std::vector<double> s(n);
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t in = 0; in < inner; ++in) {
      int64_t base = o * n * inner + in;
      for (int64_t j = 0; j < n; ++j)
        s[j] = x.data[base + j * inner];
      softmaxInPlace(s.data(), n);
      for (int64_t j = 0; j < n; ++j)
        y.data[base + j * inner] = static_cast<float>(s[j]);
    }
  }
  return y;
}

Tensor ref::layerNorm(const Tensor &x, const Tensor &gamma, const Tensor &beta,
                      double epsilon) {
  assert(!x.isComplex() && x.rank() >= 1 && "layerNorm: f32 [..., D]");
  int64_t d = x.shape.back();
  assert(gamma.shape == std::vector<int64_t>{d} &&
         beta.shape == std::vector<int64_t>{d} &&
         "layerNorm: gamma and beta [D] expected");
  Tensor y = Tensor::zeros(x.kind, x.shape);
  if (d == 0)
    return y;
  int64_t rows = x.numElements() / d;
  for (int64_t r = 0; r < rows; ++r) {
    const float *row = x.data.data() + r * d;
    // Two passes: the textbook E[x^2] - E[x]^2 cancels badly.
    double mean = 0;
    for (int64_t i = 0; i < d; ++i)
      mean += row[i];
    mean /= double(d);
    double var = 0;
    for (int64_t i = 0; i < d; ++i)
      var += (row[i] - mean) * (row[i] - mean);
    var /= double(d);
    double invStd = 1.0 / std::sqrt(var + epsilon);
    for (int64_t i = 0; i < d; ++i)
      y.data[r * d + i] =
          static_cast<float>((row[i] - mean) * invStd * double(gamma.data[i]) +
                             double(beta.data[i]));
  }
  return y;
}

Tensor ref::gelu(const Tensor &x, bool tanhApproximation) {
  assert(!x.isComplex() && "gelu is f32 only");
  Tensor y = x;
  const double sqrtHalf = std::sqrt(0.5);
  const double sqrt2OverPi = std::sqrt(2.0 / kPi);
  for (float &f : y.data) {
    double v = f;
    double r =
        tanhApproximation
            ? 0.5 * v *
                  (1.0 + std::tanh(sqrt2OverPi * (v + 0.044715 * v * v * v)))
            : 0.5 * v * (1.0 + std::erf(v * sqrtHalf));
    f = static_cast<float>(r);
  }
  return y;
}

Tensor ref::relu(const Tensor &x) {
  assert(!x.isComplex() && "relu is f32 only");
  Tensor y = x;
  // NaN propagates, as in PyTorch.
  for (float &f : y.data)
    if (f <= 0.0f)
      f = 0.0f;
  return y;
}

Tensor ref::transpose(const Tensor &x, llvm::ArrayRef<int64_t> permutation) {
  int64_t rank = x.rank();
  assert(int64_t(permutation.size()) == rank && "transpose: bad permutation");
  std::vector<int64_t> outShape(rank), inStrides = rowMajorStrides(x.shape);
  std::vector<int64_t> srcStride(rank);
  std::vector<bool> seen(rank, false);
  for (int64_t i = 0; i < rank; ++i) {
    int64_t p = permutation[i];
    assert(p >= 0 && p < rank && !seen[p] && "transpose: not a permutation");
    seen[p] = true;
    outShape[i] = x.shape[p];
    srcStride[i] = inStrides[p];
  }
  Tensor y = Tensor::zeros(x.kind, outShape);
  int64_t n = y.numElements(), width = x.floatsPerElement();
  // Odometer over the output index, tracking the matching input offset.
  std::vector<int64_t> index(rank, 0);
  int64_t src = 0;
  for (int64_t dst = 0; dst < n; ++dst) {
    for (int64_t c = 0; c < width; ++c)
      y.data[dst * width + c] = x.data[src * width + c];
    for (int64_t i = rank - 1; i >= 0; --i) {
      if (++index[i] < outShape[i]) {
        src += srcStride[i];
        break;
      }
      src -= srcStride[i] * (outShape[i] - 1);
      index[i] = 0;
    }
  }
  return y;
}

Tensor ref::reshape(const Tensor &x, llvm::ArrayRef<int64_t> shape) {
  for (int64_t d : shape) {
    (void)d;
    assert(d >= 0 && "reshape: negative dimension");
  }
  assert(product(shape) == x.numElements() && "reshape: element count differs");
  Tensor y = x;
  y.shape.assign(shape.begin(), shape.end());
  return y;
}

Tensor ref::attention(const Tensor &q, const Tensor &k, const Tensor &v,
                      const Tensor *mask, double scale, bool causal) {
  assert(!q.isComplex() && !k.isComplex() && !v.isComplex() &&
         "attention is f32 only");
  assert(q.rank() == 4 && k.rank() == 4 && v.rank() == 4 &&
         "attention: q, k, v [B,H,L,D] expected");
  int64_t bDim = q.shape[0], hDim = q.shape[1], lq = q.shape[2],
          dh = q.shape[3];
  int64_t lk = k.shape[2], dv = v.shape[3];
  assert(k.shape == (std::vector<int64_t>{bDim, hDim, lk, dh}) &&
         v.shape == (std::vector<int64_t>{bDim, hDim, lk, dv}) &&
         "attention: k [B,H,Lk,Dh] and v [B,H,Lk,Dv] expected");
  int64_t maskB = 1, maskH = 1;
  if (mask) {
    assert(!mask->isComplex() && "attention: mask is f32");
    if (mask->rank() == 2) {
      assert(mask->shape == (std::vector<int64_t>{lq, lk}) &&
             "attention: mask [Lq, Lk] expected");
    } else {
      assert(mask->rank() == 4 && mask->shape[2] == lq &&
             mask->shape[3] == lk && "attention: mask [B|1,H|1,Lq,Lk]");
      maskB = mask->shape[0];
      maskH = mask->shape[1];
      assert((maskB == 1 || maskB == bDim) && (maskH == 1 || maskH == hDim) &&
             "attention: mask batch/head dims must be 1 or match");
    }
  }

  Tensor out = Tensor::zeros(ElementKind::F32, {bDim, hDim, lq, dv});
  std::vector<double> s(lk), acc(dv);
  const double negInf = -std::numeric_limits<double>::infinity();
  for (int64_t b = 0; b < bDim; ++b) {
    for (int64_t h = 0; h < hDim; ++h) {
      int64_t bh = b * hDim + h;
      const float *qm = q.data.data() + bh * lq * dh;
      const float *km = k.data.data() + bh * lk * dh;
      const float *vm = v.data.data() + bh * lk * dv;
      const float *mm = nullptr;
      if (mask)
        mm = mask->data.data() +
             ((maskB == 1 ? 0 : b) * maskH + (maskH == 1 ? 0 : h)) * lq * lk;
      for (int64_t i = 0; i < lq; ++i) {
        for (int64_t j = 0; j < lk; ++j) {
          double dot = 0;
          for (int64_t d = 0; d < dh; ++d)
            dot += double(qm[i * dh + d]) * double(km[j * dh + d]);
          s[j] = scale * dot;
          if (mm)
            s[j] += mm[i * lk + j];
          if (causal && j > i)
            s[j] = negInf;
        }
        softmaxInPlace(s.data(), lk);
        std::fill(acc.begin(), acc.end(), 0.0);
        for (int64_t j = 0; j < lk; ++j)
          for (int64_t d = 0; d < dv; ++d)
            acc[d] += s[j] * double(vm[j * dv + d]);
        for (int64_t d = 0; d < dv; ++d)
          out.data[(bh * lq + i) * dv + d] = static_cast<float>(acc[d]);
      }
    }
  }
  return out;
}

//===----------------------------------------------------------------------===//
// Fourier kernels
//===----------------------------------------------------------------------===//

Tensor ref::fft(const Tensor &x, int64_t dim, bool inverse) {
  assert(x.isComplex() && "fft: complex64 input expected");
  dim = normalizeAxis(dim, x.rank());
  std::vector<Complex> buf = loadAll<Complex>(x);
  transformAlong(buf, x.shape, dim, inverse);
  Tensor y = Tensor::zeros(ElementKind::Complex64, x.shape);
  for (size_t i = 0; i < buf.size(); ++i)
    store(y, i, buf[i]);
  return y;
}

Tensor ref::fourierMix(const Tensor &x) {
  assert(!x.isComplex() && x.rank() == 3 && "fourierMix: f32 [B,L,D]");
  // Both transforms in double; round once.
  std::vector<Complex> buf(x.numElements());
  for (size_t i = 0; i < buf.size(); ++i)
    buf[i] = Complex(x.data[i], 0.0);
  transformAlong(buf, x.shape, 2, /*inverse=*/false);
  transformAlong(buf, x.shape, 1, /*inverse=*/false);
  Tensor y = Tensor::zeros(ElementKind::F32, x.shape);
  for (size_t i = 0; i < buf.size(); ++i)
    y.data[i] = static_cast<float>(buf[i].real());
  return y;
}

Tensor ref::real(const Tensor &x) {
  assert(x.isComplex() && "real: complex64 input expected");
  Tensor y = Tensor::zeros(ElementKind::F32, x.shape);
  for (size_t i = 0; i < y.data.size(); ++i)
    y.data[i] = x.data[2 * i];
  return y;
}

Tensor ref::toComplex(const Tensor &re, const Tensor *im) {
  assert(!re.isComplex() && "toComplex: f32 input expected");
  assert((!im || (!im->isComplex() && im->shape == re.shape)) &&
         "toComplex: imaginary part must match");
  Tensor y = Tensor::zeros(ElementKind::Complex64, re.shape);
  for (size_t i = 0; i < re.data.size(); ++i) {
    y.data[2 * i] = re.data[i];
    y.data[2 * i + 1] = im ? im->data[i] : 0.0f;
  }
  return y;
}

//===----------------------------------------------------------------------===//
// Butterfly kernels
//===----------------------------------------------------------------------===//

Tensor ref::butterflyStage(const Tensor &x, const Tensor &twiddle,
                           int64_t stride) {
  assert(x.kind == twiddle.kind && "butterflyStage: kinds differ");
  assert(x.rank() >= 1 && twiddle.rank() >= 3 &&
         "butterflyStage: x [..., n], twiddle [..., n/2, 2, 2]");
  int64_t k = twiddle.rank() - 3;
  int64_t n = x.shape.back();
  (void)n;
  assert(stride >= 1 && n % (2 * stride) == 0 &&
         "butterflyStage: n must be a multiple of 2*stride");
  assert(twiddle.shape[k] == n / 2 && twiddle.shape[k + 1] == 2 &&
         twiddle.shape[k + 2] == 2 && "butterflyStage: twiddle [..., n/2,2,2]");
  assert(x.rank() >= k + 1 && "butterflyStage: twiddle has too many dims");
  for (int64_t i = 0; i < k; ++i) {
    (void)i;
    assert(twiddle.shape[i] == x.shape[x.rank() - 1 - k + i] &&
           "butterflyStage: twiddle stack dims must match x");
  }
  if (x.isComplex())
    return butterflyStageImpl<Complex>(x, twiddle, stride);
  return butterflyStageImpl<double>(x, twiddle, stride);
}

Tensor ref::bitReverse(const Tensor &x, int64_t dim) {
  dim = normalizeAxis(dim, x.rank());
  int64_t n = x.shape[dim];
  assert(isPowerOfTwo(n) && "bitReverse: size must be a power of two");
  int64_t bits = log2Exact(n);
  int64_t outer = product(llvm::ArrayRef<int64_t>(x.shape).take_front(dim));
  int64_t inner =
      product(llvm::ArrayRef<int64_t>(x.shape).drop_front(dim + 1)) *
      x.floatsPerElement();
  Tensor y = Tensor::zeros(x.kind, x.shape);
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < n; ++i) {
      int64_t src = bitReverseIndex(i, bits);
      std::copy_n(x.data.begin() + (o * n + src) * inner, inner,
                  y.data.begin() + (o * n + i) * inner);
    }
  }
  return y;
}

Tensor ref::butterflyLinear(const Tensor &x, const Tensor &twiddle,
                            const Tensor *bias, bool increasingStride,
                            int64_t outFeatures) {
  assert(x.kind == twiddle.kind && "butterflyLinear: kinds differ");
  assert(x.rank() >= 1 && twiddle.rank() == 6 &&
         "butterflyLinear: x [..., in], twiddle of rank 6");
  int64_t in = x.shape.back();
  assert(in >= 1 && outFeatures >= 1 && "butterflyLinear: empty features");
  int64_t n = nextPowerOfTwo(in);
  int64_t logN = log2Exact(n);
  assert(twiddle.shape[0] == (outFeatures + n - 1) / n &&
         twiddle.shape[2] == logN && twiddle.shape[3] == n / 2 &&
         twiddle.shape[4] == 2 && twiddle.shape[5] == 2 &&
         "butterflyLinear: twiddle (ceil(out/n), nblocks, log n, n/2, 2, 2)");
  assert((!bias || (bias->kind == x.kind &&
                    bias->shape == std::vector<int64_t>{outFeatures})) &&
         "butterflyLinear: bias [out] expected");
  (void)logN;
  if (x.isComplex())
    return butterflyLinearImpl<Complex>(x, twiddle, bias, increasingStride,
                                        outFeatures);
  return butterflyLinearImpl<double>(x, twiddle, bias, increasingStride,
                                     outFeatures);
}
