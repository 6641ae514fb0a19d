//===- Kernels.h - CPU reference math of the bfly ops -----------*- C++ -*-===//
//
// The numerical ground truth of the project: one plain, obviously-correct CPU
// kernel per bfly op. Inputs and results are fp32 (or complex<f32>), but every
// kernel accumulates in double and rounds to float once, at the end, so that
// the reference is more accurate than anything it is compared with.
//
// Kernels assume their operands were validated by the caller (the bfly
// verifier and the reference interpreter); shape preconditions are asserted.
//
//===----------------------------------------------------------------------===//

#ifndef BUTTERFLY_REFERENCE_KERNELS_H
#define BUTTERFLY_REFERENCE_KERNELS_H

#include "butterfly/Support/Tensor.h"

#include "llvm/ADT/ArrayRef.h"

namespace butterfly {
namespace ref {

/// x [..., K] · w [K, N] (+ bias [N]) -> [..., N]. Note w is [K, N], not
/// PyTorch's [N, K]. F32 only.
Tensor linear(const Tensor &x, const Tensor &w, const Tensor *bias);

/// a [..., M, K] · b -> [..., M, N], where b is [..., K, N] with a's batch
/// dims or [K, N] broadcast over them. F32 only.
Tensor matmul(const Tensor &a, const Tensor &b);

/// Elementwise sum; F32 or Complex64. \p b has the kind of \p a and
/// broadcasts to its shape NumPy-style (aligned at the trailing dimensions,
/// each of its dimensions equal or 1); the result has the shape of \p a.
Tensor add(const Tensor &a, const Tensor &b);
/// Elementwise product (complex product for Complex64), broadcasting \p b
/// like add.
Tensor mul(const Tensor &a, const Tensor &b);

/// The box of \p x starting at \p offsets with the extents \p sizes.
Tensor slice(const Tensor &x, llvm::ArrayRef<int64_t> offsets,
             llvm::ArrayRef<int64_t> sizes);
/// \p x followed by \p high zeros along each dimension.
Tensor pad(const Tensor &x, llvm::ArrayRef<int64_t> high);
/// The tensors joined along \p dim (all other dimensions equal).
Tensor concat(llvm::ArrayRef<const Tensor *> inputs, int64_t dim);
/// x * factor; F32 or Complex64.
Tensor scale(const Tensor &x, double factor);

/// Numerically stable softmax along \p axis (negative counts from the end).
/// Like PyTorch, a slice that is all -inf (or holds NaN or +inf) gives NaN.
Tensor softmax(const Tensor &x, int64_t axis);

/// Normalises over the last dim D with the biased variance (as PyTorch), then
/// applies gamma [D] and beta [D].
Tensor layerNorm(const Tensor &x, const Tensor &gamma, const Tensor &beta,
                 double epsilon);

/// 0.5 x (1 + erf(x / sqrt 2)), or PyTorch's tanh approximation.
Tensor gelu(const Tensor &x, bool tanhApproximation);
Tensor relu(const Tensor &x);

/// Result dim i is input dim permutation[i] (numpy.transpose). Any kind.
Tensor transpose(const Tensor &x, llvm::ArrayRef<int64_t> permutation);
/// Same data, new shape with the same number of elements. Any kind.
Tensor reshape(const Tensor &x, llvm::ArrayRef<int64_t> shape);

/// softmax(scale * q·kᵀ + mask [+ causal]) · v.
/// q [B,H,Lq,Dh], k [B,H,Lk,Dh], v [B,H,Lk,Dv] -> [B,H,Lq,Dv]. mask (may be
/// null) is additive F32, [Lq,Lk] or [B|1, H|1, Lq, Lk]. causal hides key
/// j > query i (top-left aligned, torch's is_causal=True). A query row whose
/// keys are all masked gives NaN, consistently with softmax.
Tensor attention(const Tensor &q, const Tensor &k, const Tensor &v,
                 const Tensor *mask, double scale, bool causal);

/// DFT of a Complex64 tensor along \p dim with numpy.fft conventions: forward
/// sum x_j e^{-2 pi i jk/n} unscaled; inverse with e^{+2 pi i jk/n} and 1/n.
/// Exact for every n >= 1 (radix 2, or Bluestein for other lengths).
Tensor fft(const Tensor &x, int64_t dim, bool inverse);

/// FNet token mixing: real x [B,L,D] -> Re(FFT_L(FFT_D(x))) [B,L,D].
Tensor fourierMix(const Tensor &x);

/// Complex64 -> F32 real part.
Tensor real(const Tensor &x);
/// F32 -> Complex64 with imaginary part \p im (zero when null).
Tensor toComplex(const Tensor &re, const Tensor *im);

/// One butterfly factor along the last dim of x [..., S1..Sk, n] (F32 or
/// Complex64) with twiddle [S1..Sk, n/2, 2, 2] of the same kind, broadcast
/// over the leading dims of x. For group j < n/(2s), kk < s, pair
/// p = j*s + kk:  y[j*2s + a*s + kk] = sum_b tw[p][a][b] x[j*2s + b*s + kk].
/// This is torch_butterfly's butterfly_multiply_torch for one stage.
Tensor butterflyStage(const Tensor &x, const Tensor &twiddle, int64_t stride);

/// Permutes along \p dim (a power-of-two size n): y[i] = x[bitrev(i)].
Tensor bitReverse(const Tensor &x, int64_t dim);

/// torch_butterfly's Butterfly.forward: x [..., in], twiddle
/// (nstacks, nblocks, log_n, n/2, 2, 2) with n = 2^ceil(log2 in) and
/// nstacks = ceil(out/n); zero-pads to n, applies the stages of each block
/// (stride order flipping after every block), concatenates the stacks, keeps
/// the first \p outFeatures values and adds bias [out]. F32 or Complex64.
Tensor butterflyLinear(const Tensor &x, const Tensor &twiddle,
                       const Tensor *bias, bool increasingStride,
                       int64_t outFeatures);

} // namespace ref
} // namespace butterfly

#endif // BUTTERFLY_REFERENCE_KERNELS_H
