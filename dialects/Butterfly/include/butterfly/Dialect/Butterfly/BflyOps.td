//===- BflyOps.td - bfly dialect operations ----------------*- tablegen -*-===//
//
// Operations of the bfly dialect. Shapes are checked by the verifiers so that
// every later stage (decomposition, tiling, the reference interpreter) may rely
// on them.
//
//===----------------------------------------------------------------------===//

#ifndef BUTTERFLY_DIALECT_BFLY_OPS_TD
#define BUTTERFLY_DIALECT_BFLY_OPS_TD

include "butterfly/Dialect/Butterfly/BflyDialect.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Bfly_F32Tensor : RankedTensorOf<[F32]>;
def Bfly_ComplexTensor : RankedTensorOf<[Complex<F32>]>;
def Bfly_AnyTensor : RankedTensorOf<[F32, Complex<F32>]>;

//===----------------------------------------------------------------------===//
// Dense linear algebra
//===----------------------------------------------------------------------===//

def Bfly_LinearOp : Bfly_Op<"linear", [Pure]> {
  let summary = "Dense linear layer x·W + b";
  let description = [{
    Applies `x·W + b` over the last dimension of `input`. The weight is laid
    out `[in_features, out_features]` (the transpose of PyTorch's
    `nn.Linear.weight`); the bias is optional. `sparsity` records whether the
    layer stays dense or is to become butterfly-sparse.

    ```mlir
    %y = bfly.linear %x, %w, %b
        : tensor<2x8x16xf32>, tensor<16x32xf32>, tensor<32xf32>
        -> tensor<2x8x32xf32>
    ```
  }];
  let arguments = (ins Bfly_F32Tensor:$input, Bfly_F32Tensor:$weight,
                       Optional<Bfly_F32Tensor>:$bias,
                       OptionalAttr<Bfly_SparsityAttr>:$sparsity);
  let results = (outs Bfly_F32Tensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` type($input) `,`
    type($weight) (`,` type($bias)^)? `->` type($result)
  }];
  let hasVerifier = 1;
}

def Bfly_MatmulOp : Bfly_Op<"matmul", [Pure]> {
  let summary = "Batched matrix product";
  let description = [{
    `[..., M, K] × [..., K, N] → [..., M, N]`. The batch dimensions of `lhs`
    and `rhs` are equal, or `rhs` has rank 2 and is shared by every batch.

    ```mlir
    %s = bfly.matmul %q, %kt
        : tensor<1x4x64x16xf32>, tensor<1x4x16x64xf32> -> tensor<1x4x64x64xf32>
    ```
  }];
  let arguments = (ins Bfly_F32Tensor:$lhs, Bfly_F32Tensor:$rhs);
  let results = (outs Bfly_F32Tensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

class Bfly_BinaryElementwiseOp<string mnemonic, string what>
    : Bfly_Op<mnemonic, [Pure, AllTypesMatch<["lhs", "result"]>]> {
  let summary = "Elementwise " # what # " with broadcasting of the rhs";
  let arguments = (ins Bfly_AnyTensor:$lhs, Bfly_AnyTensor:$rhs);
  let results = (outs Bfly_AnyTensor:$result);
  // `: T` when both operands have type T, `: T, U` when the rhs broadcasts.
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` custom<BroadcastTypes>(type($lhs), type($rhs))
  }];
  let hasVerifier = 1;
}

def Bfly_AddOp : Bfly_BinaryElementwiseOp<"add", "sum"> {
  let description = [{
    Elementwise sum (`f32` or `complex<f32>`), e.g. a residual connection. The
    result has the type of `lhs`; `rhs` has its element type and broadcasts
    NumPy-style: aligned at the trailing dimensions, each of its dimensions
    equal to `lhs`'s or 1 (a bias, an attention mask).

    ```mlir
    %r = bfly.add %x, %y : tensor<1x128x64xf32>
    %b = bfly.add %x, %bias : tensor<1x128x64xf32>, tensor<64xf32>
    ```
  }];
}

def Bfly_MulOp : Bfly_BinaryElementwiseOp<"mul", "product"> {
  let description = [{
    Elementwise product; complex operands multiply as complex numbers (a chirp
    or twiddle multiplication). `rhs` broadcasts as in `bfly.add`.

    ```mlir
    %r = bfly.mul %x, %chirp : tensor<4x197xcomplex<f32>>, tensor<197xcomplex<f32>>
    ```
  }];
}

def Bfly_ScaleOp : Bfly_Op<"scale", [Pure, AllTypesMatch<["input", "result"]>]> {
  let summary = "Multiplication by a constant factor";
  let description = [{
    Multiplies every element by `factor`, e.g. the `1/sqrt(d)` of attention
    scores.

    ```mlir
    %s = bfly.scale %x by 1.250000e-01 : tensor<1x4x64x64xf32>
    ```
  }];
  let arguments = (ins Bfly_AnyTensor:$input, F32Attr:$factor);
  let results = (outs Bfly_AnyTensor:$result);
  let assemblyFormat = "$input `by` $factor attr-dict `:` type($input)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Bfly_SoftmaxOp : Bfly_Op<"softmax", [Pure, AllTypesMatch<["input", "result"]>]> {
  let summary = "Softmax along one axis";
  let description = [{
    `exp(x - max) / sum(exp(x - max))` along `axis` (`0 <= axis < rank`),
    computed in a numerically stable way.

    ```mlir
    %p = bfly.softmax %s axis 3 : tensor<1x4x64x64xf32>
    ```
  }];
  let arguments = (ins Bfly_F32Tensor:$input, I64Attr:$axis);
  let results = (outs Bfly_F32Tensor:$result);
  let assemblyFormat = "$input `axis` $axis attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def Bfly_LayerNormOp : Bfly_Op<"layernorm", [Pure, AllTypesMatch<["input", "result"]>]> {
  let summary = "Layer normalisation over the last dimension";
  let description = [{
    `(x - mean) / sqrt(var + epsilon) * gamma + beta` over the last dimension,
    with the biased variance, as `nn.LayerNorm`. `gamma` and `beta` have the
    size of the last dimension; `epsilon` defaults to 1e-5.

    ```mlir
    %n = bfly.layernorm %x, %gamma, %beta {epsilon = 9.99999996E-13 : f32}
        : tensor<1x128x64xf32>, tensor<64xf32>, tensor<64xf32>
    ```
  }];
  let arguments = (ins Bfly_F32Tensor:$input, Bfly_F32Tensor:$gamma,
                       Bfly_F32Tensor:$beta,
                       DefaultValuedAttr<F32Attr, "1.0e-5">:$epsilon);
  let results = (outs Bfly_F32Tensor:$result);
  let assemblyFormat = [{
    $input `,` $gamma `,` $beta attr-dict `:` type($input) `,` type($gamma)
    `,` type($beta)
  }];
  let hasVerifier = 1;
}

def Bfly_GeluOp : Bfly_Op<"gelu", [Pure, AllTypesMatch<["input", "result"]>]> {
  let summary = "Gaussian error linear unit";
  let description = [{
    `0.5·x·(1 + erf(x/√2))`, or PyTorch's tanh approximation when the unit
    attribute `tanh` is present.

    ```mlir
    %g = bfly.gelu %x : tensor<1x128x256xf32>
    %h = bfly.gelu %x {tanh} : tensor<1x128x256xf32>
    ```
  }];
  let arguments = (ins Bfly_F32Tensor:$input, UnitAttr:$tanh);
  let results = (outs Bfly_F32Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Bfly_ReluOp : Bfly_Op<"relu", [Pure, AllTypesMatch<["input", "result"]>]> {
  let summary = "Rectified linear unit";
  let description = [{
    `max(x, 0)` elementwise.

    ```mlir
    %r = bfly.relu %x : tensor<1x128x256xf32>
    ```
  }];
  let arguments = (ins Bfly_F32Tensor:$input);
  let results = (outs Bfly_F32Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

def Bfly_TransposeOp : Bfly_Op<"transpose", [Pure]> {
  let summary = "Permutation of dimensions";
  let description = [{
    Result dimension `i` is input dimension `permutation[i]` (as
    `numpy.transpose`). Identity permutations fold away and a transpose of a
    transpose becomes one transpose.

    ```mlir
    %kt = bfly.transpose %k [0, 1, 3, 2]
        : tensor<1x4x64x16xf32> -> tensor<1x4x16x64xf32>
    ```
  }];
  let arguments = (ins Bfly_AnyTensor:$input, DenseI64ArrayAttr:$permutation);
  let results = (outs Bfly_AnyTensor:$result);
  let assemblyFormat = [{
    $input $permutation attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def Bfly_ReshapeOp : Bfly_Op<"reshape", [Pure]> {
  let summary = "Reinterpretation of a row-major tensor with another shape";
  let description = [{
    Same elements in the same (row-major) order, another static shape with the
    same number of elements, e.g. splitting the hidden dimension into heads.
    Reshapes of reshapes compose and identity reshapes fold away.

    ```mlir
    %h = bfly.reshape %x : tensor<1x64x128xf32> -> tensor<1x64x4x32xf32>
    ```
  }];
  let arguments = (ins Bfly_AnyTensor:$input);
  let results = (outs Bfly_AnyTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Bfly_SliceOp : Bfly_Op<"slice", [Pure]> {
  let summary = "Static box of a tensor";
  let description = [{
    The elements from `offsets` with the extents of the result type (unit
    strides), e.g. the first `out` features of a padded butterfly, or one
    stack of twiddles.

    ```mlir
    %y = bfly.slice %x offsets [0, 0, 0] : tensor<2x8x32xf32> -> tensor<2x8x20xf32>
    ```
  }];
  let arguments = (ins Bfly_AnyTensor:$input, DenseI64ArrayAttr:$offsets);
  let results = (outs Bfly_AnyTensor:$result);
  let assemblyFormat = [{
    $input `offsets` $offsets attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Bfly_PadOp : Bfly_Op<"pad", [Pure]> {
  let summary = "Zero padding at the end of each dimension";
  let description = [{
    Appends `high[i]` zeros along dimension `i`, e.g. widening 12 features to
    the 16 of a butterfly, or a sequence to a Bluestein convolution length.

    ```mlir
    %y = bfly.pad %x high [0, 4] : tensor<8x12xf32> -> tensor<8x16xf32>
    ```
  }];
  let arguments = (ins Bfly_AnyTensor:$input, DenseI64ArrayAttr:$high);
  let results = (outs Bfly_AnyTensor:$result);
  let assemblyFormat = [{
    $input `high` $high attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Bfly_ConcatOp : Bfly_Op<"concat", [Pure]> {
  let summary = "Concatenation along one dimension";
  let description = [{
    Joins the inputs along `dim`; all other dimensions and the element type
    agree. Used to replicate a token block for the stacks of a butterfly.

    ```mlir
    %y = bfly.concat %a, %b dim 1
        : (tensor<8x1x16xf32>, tensor<8x1x16xf32>) -> tensor<8x2x16xf32>
    ```
  }];
  let arguments = (ins Variadic<Bfly_AnyTensor>:$inputs, I64Attr:$dim);
  let results = (outs Bfly_AnyTensor:$result);
  let assemblyFormat = [{
    $inputs `dim` $dim attr-dict `:` functional-type($inputs, $result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Token mixers
//===----------------------------------------------------------------------===//

def Bfly_AttentionOp : Bfly_Op<"attention", [Pure]> {
  let summary = "Scaled dot-product softmax attention";
  let description = [{
    `softmax(scale · q·kᵀ + mask) · v` per batch and head, with
    `q: [B, H, Lq, Dh]`, `k: [B, H, Lk, Dh]`, `v: [B, H, Lk, Dv]` and the
    result `[B, H, Lq, Dv]`. `scale` defaults to `1/sqrt(Dh)`. The optional
    `mask` is additive: `[Lq, Lk]`, or `[B|1, H|1, Lq, Lk]` broadcast over batch
    and heads. `causal` hides key `j > i` from query `i` (top-left aligned, as
    PyTorch's `is_causal`).

    ```mlir
    %o = bfly.attention %q, %k, %v {causal, scale = 2.500000e-01 : f32}
        : tensor<1x4x64x16xf32>, tensor<1x4x64x16xf32>, tensor<1x4x64x16xf32>
        -> tensor<1x4x64x16xf32>
    %m = bfly.attention %q, %k, %v mask %mask
        : tensor<1x4x64x16xf32>, tensor<1x4x64x16xf32>, tensor<1x4x64x16xf32>,
          tensor<64x64xf32> -> tensor<1x4x64x16xf32>
    ```
  }];
  let arguments = (ins Bfly_F32Tensor:$query, Bfly_F32Tensor:$key,
                       Bfly_F32Tensor:$value,
                       Optional<Bfly_F32Tensor>:$mask,
                       OptionalAttr<F32Attr>:$scale, UnitAttr:$causal,
                       OptionalAttr<Bfly_SparsityAttr>:$sparsity);
  let results = (outs Bfly_F32Tensor:$result);
  let assemblyFormat = [{
    $query `,` $key `,` $value (`mask` $mask^)? attr-dict `:` type($query) `,`
    type($key) `,` type($value) (`,` type($mask)^)? `->` type($result)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The scale applied to q·kᵀ: the attribute, or 1/sqrt(Dh).
    double getEffectiveScale();
  }];
}

def Bfly_FourierMixOp : Bfly_Op<"fourier_mix", [Pure, AllTypesMatch<["input", "result"]>]> {
  let summary = "FNet Fourier token mixing: Re(FFT_seq(FFT_hidden(x)))";
  let description = [{
    For `x: [B, L, D]`, the real part of the 2-D discrete Fourier transform
    over the sequence and hidden dimensions, as in FNet. Any `L, D >= 1`:
    lengths that are not powers of two are transformed exactly, never padded.

    ```mlir
    %y = bfly.fourier_mix %x : tensor<1x197x768xf32>
    ```
  }];
  let arguments = (ins Bfly_F32Tensor:$input,
                       OptionalAttr<Bfly_SparsityAttr>:$sparsity);
  let results = (outs Bfly_F32Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Fourier transforms and complex numbers
//===----------------------------------------------------------------------===//

class Bfly_FftLikeOp<string mnemonic, string what, string sign, string norm>
    : Bfly_Op<mnemonic, [Pure, AllTypesMatch<["input", "result"]>]> {
  let summary = what # " discrete Fourier transform along one dimension";
  let description = [{
    `y[k] = }] # norm # [{Σ_j x[j]·exp(}] # sign # [{2πi·jk/n)` along `dim`,
    with NumPy's conventions. Exact for every length (mixed radix or
    Bluestein for lengths that are not powers of two).

    ```mlir
    %y = bfly.}] # mnemonic # [{ %x dim 1 : tensor<4x256xcomplex<f32>>
    ```
  }];
  let arguments = (ins Bfly_ComplexTensor:$input, I64Attr:$dim);
  let results = (outs Bfly_ComplexTensor:$result);
  let assemblyFormat = "$input `dim` $dim attr-dict `:` type($input)";
  let hasVerifier = 1;
  let hasCanonicalizer = 1;
}

def Bfly_FftOp : Bfly_FftLikeOp<"fft", "Forward", "-", "">;
def Bfly_IfftOp : Bfly_FftLikeOp<"ifft", "Inverse", "+", "(1/n)·">;

def Bfly_RealOp : Bfly_Op<"real", [Pure, InferTypeOpAdaptor]> {
  let summary = "Real part of a complex tensor";
  let description = [{
    ```mlir
    %r = bfly.real %z : tensor<4x256xcomplex<f32>>
    ```
  }];
  let arguments = (ins Bfly_ComplexTensor:$input);
  let results = (outs Bfly_F32Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasFolder = 1;
}

def Bfly_ToComplexOp : Bfly_Op<"to_complex", [Pure, InferTypeOpAdaptor]> {
  let summary = "Complex tensor from real (and imaginary) parts";
  let description = [{
    The imaginary part is zero when `imag` is absent.

    ```mlir
    %z = bfly.to_complex %x : tensor<4x256xf32>
    %w = bfly.to_complex %re, %im : tensor<4x256xf32>, tensor<4x256xf32>
    ```
  }];
  let arguments = (ins Bfly_F32Tensor:$real, Optional<Bfly_F32Tensor>:$imag);
  let results = (outs Bfly_ComplexTensor:$result);
  let assemblyFormat = [{
    $real (`,` $imag^)? attr-dict `:` type($real) (`,` type($imag)^)?
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Butterfly sparsity
//===----------------------------------------------------------------------===//

def Bfly_ButterflyLinearOp : Bfly_Op<"butterfly_linear", [Pure]> {
  let summary = "Butterfly-sparse linear layer (torch_butterfly semantics)";
  let description = [{
    A structured sparse linear from `in` to `out` features: the input is
    zero-padded to `n = 2^ceil(log2 in)` and multiplied by `nblocks` products
    of `log2 n` butterfly factors, for each of `nstacks = ceil(out / n)`
    stacks; the stacked outputs are concatenated and the first `out` kept, then
    `bias` is added. The twiddles are shaped
    `(nstacks, nblocks, log2 n, n/2, 2, 2)`: factor `s` of a block mixes the
    element pairs at stride `2^s` (`increasing_stride`, the default) or
    `2^(log2 n - 1 - s)`; each block flips the order of the previous one.
    This is `torch_butterfly.Butterfly(in, out, increasing_stride, nblocks)`.

    ```mlir
    %y = bfly.butterfly_linear %x, %tw, %b {increasing_stride = false}
        : tensor<8x12xf32>, tensor<2x1x4x8x2x2xf32>, tensor<20xf32>
        -> tensor<8x20xf32>
    ```
  }];
  let arguments = (ins Bfly_F32Tensor:$input, Bfly_F32Tensor:$twiddles,
                       Optional<Bfly_F32Tensor>:$bias,
                       DefaultValuedAttr<BoolAttr, "true">:$increasing_stride,
                       OptionalAttr<Bfly_SparsityAttr>:$sparsity);
  let results = (outs Bfly_F32Tensor:$result);
  let assemblyFormat = [{
    $input `,` $twiddles (`,` $bias^)? attr-dict `:` type($input) `,`
    type($twiddles) (`,` type($bias)^)? `->` type($result)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    int64_t getInFeatures();
    int64_t getOutFeatures();
    int64_t getNumStacks();
    int64_t getNumBlocks();
    /// log2 of the padded width n.
    int64_t getLogN();
  }];
}

def Bfly_ButterflyStageOp : Bfly_Op<"butterfly_stage", [Pure,
                                    AllTypesMatch<["input", "result"]>]> {
  let summary = "One butterfly factor: 2×2 blocks mixing pairs at a stride";
  let description = [{
    For `input: [..., n]` and `twiddles: [S1..Sk, n/2, 2, 2]` of the same
    element type (real 2×2 blocks, or complex ones such as the FFT's
    `[[1, w^k], [1, -w^k]]`), pair `p = j·stride + r` (`0 <= r < stride`)
    computes
    `y[2j·stride + a·stride + r] = Σ_b tw[p][a][b] · x[2j·stride + b·stride + r]`.
    The leading twiddle dimensions `S1..Sk` (possibly none) equal the input
    dimensions just before the last one (one factor per stack); the factor is
    shared by the remaining leading dimensions. `stride` is a power of two
    `<= n/2`.

    ```mlir
    %y = bfly.butterfly_stage %x, %tw stride 4
        : tensor<16x64xf32>, tensor<32x2x2xf32>
    ```
  }];
  let arguments = (ins Bfly_AnyTensor:$input, Bfly_AnyTensor:$twiddles,
                       I64Attr:$stride);
  let results = (outs Bfly_AnyTensor:$result);
  let assemblyFormat = [{
    $input `,` $twiddles `stride` $stride attr-dict `:` type($input) `,`
    type($twiddles)
  }];
  let hasVerifier = 1;
}

def Bfly_BitReverseOp : Bfly_Op<"bit_reverse", [Pure,
                                AllTypesMatch<["input", "result"]>]> {
  let summary = "Bit-reversal permutation along one dimension";
  let description = [{
    `y[i] = x[bitreverse(i)]` along `dim`, whose size is a power of two: the
    input permutation of a radix-2 FFT. It is an involution, so a bit reversal
    of a bit reversal along the same dimension folds to its input.

    ```mlir
    %y = bfly.bit_reverse %x dim 1 : tensor<4x256xcomplex<f32>>
    ```
  }];
  let arguments = (ins Bfly_AnyTensor:$input, I64Attr:$dim);
  let results = (outs Bfly_AnyTensor:$result);
  let assemblyFormat = "$input `dim` $dim attr-dict `:` type($input)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

#endif // BUTTERFLY_DIALECT_BFLY_OPS_TD
