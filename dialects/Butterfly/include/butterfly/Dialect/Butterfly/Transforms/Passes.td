//===- Passes.td - bfly transformation passes --------------*- tablegen -*-===//
//
// The tensor-level passes of the butterfly pipeline (DESIGN §5, passes 2-3).
//
//===----------------------------------------------------------------------===//

#ifndef BUTTERFLY_DIALECT_BFLY_TRANSFORMS_PASSES_TD
#define BUTTERFLY_DIALECT_BFLY_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def BflyHybridSparsity : Pass<"bfly-hybrid-sparsity", "mlir::ModuleOp"> {
  let summary = "Decide per encoder layer what becomes butterfly-sparse";
  let description = [{
    Finds the encoder layers of each function (see docs/passes.md for the
    pattern, or explicit `bfly.layer = N` markers set by frontends) and decides
    for each layer whether its token mixer stays softmax attention or becomes
    FNet Fourier mixing, and whether each linear stays dense or becomes a
    butterfly linear. Policies:

    - `fabnet`: `attention-layers` of the layers that have attention (by
      default up to 2), placed by `layout`, keep it (with butterfly
      projections, FABNet's "ABfly"); the others use Fourier mixing
      ("FBfly"); every linear becomes butterfly.
    - `cost`: per layer, the alternative with the least modelled cycles (or
      energy, `objective=energy`) on `arch`, keeping at least
      `attention-layers` attention layers (placed by `layout`).
    - `manual`: realises the `#bfly.sparsity` attributes already on the ops.
    - `dense`: everything stays dense.

    Every decision is an MLIR remark with the modelled cost of each
    alternative; `report=FILE` writes the same as JSON, with the modelled
    total against all-dense. Dense weights that are constants are projected
    onto butterfly twiddles (docs/passes.md); weights that are function
    arguments are replaced by twiddle arguments (listed in the report).

    Before (one layer, `policy=fabnet attention-layers=0`):
    ```mlir
    %q = bfly.linear %x, %wq : tensor<1x64x32xf32>, tensor<32x32xf32> -> tensor<1x64x32xf32>
    ...
    %a = bfly.attention %qh, %kh, %vh : ...
    ...
    %o = bfly.linear %m, %wo : tensor<1x64x32xf32>, tensor<32x32xf32> -> tensor<1x64x32xf32>
    %r = bfly.add %x, %o : tensor<1x64x32xf32>
    ```
    After:
    ```mlir
    %f = bfly.fourier_mix %x {sparsity = #bfly.sparsity<fourier>} : tensor<1x64x32xf32>
    %r = bfly.add %x, %f : tensor<1x64x32xf32>
    ```
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
  let options = [
    Option<"policyName", "policy", "std::string", /*default=*/"\"fabnet\"",
           "fabnet | cost | manual | dense">,
    Option<"attentionLayers", "attention-layers", "int64_t", /*default=*/"-1",
           "Layers that keep softmax attention, among those that have it "
           "(-1: fabnet keeps min(2, such layers); cost keeps none, this is "
           "a lower bound)">,
    Option<"layout", "layout", "std::string", /*default=*/"\"top\"",
           "Where the attention layers go: top (nearest the output), bottom "
           "(nearest the input) or middle">,
    Option<"archFile", "arch", "std::string", /*default=*/"\"\"",
           "Arch JSON for the cost model (default: the built-in 16x16 array)">,
    Option<"objective", "objective", "std::string", /*default=*/"\"cycles\"",
           "What policy=cost minimises: cycles | energy">,
    Option<"reportFile", "report", "std::string", /*default=*/"\"\"",
           "Write the decisions and modelled costs as JSON to this file">,
    Option<"maxProjectionError", "max-projection-error", "double",
           /*default=*/"1.0",
           "Keep a constant dense weight dense when its butterfly projection's "
           "relative Frobenius error exceeds this">,
  ];
}

def BflyDecompose : Pass<"bfly-decompose", "mlir::func::FuncOp"> {
  let summary = "Lower sparse and fused ops to butterfly stages and matmuls";
  let description = [{
    Rewrites the ops that the array cannot run directly into the ones the
    multilayer dataflow maps, exactly (no approximation, no padding of data):

    - `bfly.fourier_mix` → `to_complex`, `fft` along D then L, `real`;
    - `bfly.fft`/`bfly.ifft` of a power-of-two length n → `bit_reverse` and
      log2 n `butterfly_stage`s with constant complex twiddles
      `[[1, w^r], [1, -w^r]]` (and a 1/n `scale` for the inverse); other
      lengths by Bluestein's algorithm: chirp `mul`, `pad` to a power of two
      M >= 2n-1, radix-2 convolution with a precomputed chirp spectrum,
      `slice`, chirp `mul`; transforms along an inner dimension are
      transposed to the last one and back; with `max-fft-length`, a
      power-of-two transform longer than that is split into four steps
      (n = n1·n2: `reshape`, transforms of length n1 across, twiddle `mul`
      by w^(j2·k1), transforms of length n2, `transpose`, `reshape`), so
      that no row is longer than a PE holds;
    - `bfly.butterfly_linear` → `pad` to n, stacks replicated with `concat`,
      one `butterfly_stage` per factor on `slice`s of the twiddles, `slice`
      to the out features, bias `add`;
    - `bfly.attention` → `transpose`, `matmul`, `scale`, mask `add`s,
      `softmax`, `matmul`; with `fuse-attention`, an attention without mask
      or `causal` whose fused plan fits the arch (`arch`) stays whole, for
      the PE mapping to run as one resident pipeline.

    Before:
    ```mlir
    %y = bfly.fft %x dim 0 : tensor<4xcomplex<f32>>
    ```
    After:
    ```mlir
    %0 = bfly.bit_reverse %x dim 0 : tensor<4xcomplex<f32>>
    %tw0 = arith.constant dense<...> : tensor<2x2x2xcomplex<f32>>
    %1 = bfly.butterfly_stage %0, %tw0 stride 1 : tensor<4xcomplex<f32>>, tensor<2x2x2xcomplex<f32>>
    %tw1 = arith.constant dense<...> : tensor<2x2x2xcomplex<f32>>
    %y = bfly.butterfly_stage %1, %tw1 stride 2 : tensor<4xcomplex<f32>>, tensor<2x2x2xcomplex<f32>>
    ```
  }];
  let options = [
    Option<"maxFftLength", "max-fft-length", "int64_t", /*default=*/"0",
           "Split power-of-two transforms longer than this into four steps "
           "(0: never)">,
    Option<"fuseAttention", "fuse-attention", "bool", /*default=*/"false",
           "Keep unmasked, non-causal attention whole where a fused plan fits "
           "the arch (docs/compiler.md, \"Fused attention\")">,
    Option<"archFile", "arch", "std::string", /*default=*/"\"\"",
           "Arch JSON for fuse-attention (default: the built-in default "
           "arch)">
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

#endif // BUTTERFLY_DIALECT_BFLY_TRANSFORMS_PASSES_TD
