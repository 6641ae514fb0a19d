//===- BflyDialect.td - The bfly dialect definition --------*- tablegen -*-===//
//
// The tensor-level dialect of butterfly: attention-based networks, the FFT and
// butterfly-sparse linears, with value semantics on ranked f32 tensors.
//
//===----------------------------------------------------------------------===//

#ifndef BUTTERFLY_DIALECT_BFLY_DIALECT_TD
#define BUTTERFLY_DIALECT_BFLY_DIALECT_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

def Bfly_Dialect : Dialect {
  let name = "bfly";
  let cppNamespace = "::butterfly::bfly";
  let summary = "Tensor-level ops of attention networks with butterfly sparsity";
  let description = [{
    The `bfly` dialect describes attention-based neural networks at the tensor
    level: dense linears and matmuls, softmax attention, normalisation and
    activations, FNet-style Fourier token mixing, and butterfly-sparse linears
    (products of log2(n) butterfly factors, as in torch_butterfly and FABNet).
    All ops have value semantics on ranked tensors of `f32` (`complex<f32>` for
    the FFT family). The sparse ops decompose into `bfly.bit_reverse` and
    `bfly.butterfly_stage`, the unit that the multilayer dataflow maps onto the
    array.

    ```mlir
    func.func @mixer(%x: tensor<1x128x64xf32>) -> tensor<1x128x64xf32> {
      %y = bfly.fourier_mix %x {sparsity = #bfly.sparsity<fourier>}
          : tensor<1x128x64xf32>
      return %y : tensor<1x128x64xf32>
    }
    ```
  }];
  let useDefaultAttributePrinterParser = 1;
  // Folds of constant slices and reshapes materialize as arith.constant.
  let hasConstantMaterializer = 1;
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

def Bfly_SparsityDense : I32EnumAttrCase<"dense", 0>;
def Bfly_SparsityButterfly : I32EnumAttrCase<"butterfly", 1>;
def Bfly_SparsityFourier : I32EnumAttrCase<"fourier", 2>;

def Bfly_SparsityKind : I32EnumAttr<"SparsityKind",
    "how a token mixer or a linear layer is computed",
    [Bfly_SparsityDense, Bfly_SparsityButterfly, Bfly_SparsityFourier]> {
  let cppNamespace = "::butterfly::bfly";
  let genSpecializedAttr = 0;
}

def Bfly_SparsityAttr : EnumAttr<Bfly_Dialect, Bfly_SparsityKind, "sparsity"> {
  let summary = "Sparsity decision for a token mixer or a linear layer";
  let description = [{
    Records how a layer is (or is to be) computed: `dense` (softmax attention
    or a dense linear), `butterfly` (a butterfly-sparse linear) or `fourier`
    (FNet Fourier token mixing in place of attention). Frontends set it for
    layers whose form is fixed; `bfly-hybrid-sparsity` sets it for the rest.

    ```mlir
    %y = bfly.linear %x, %w {sparsity = #bfly.sparsity<butterfly>}
        : tensor<8x16xf32>, tensor<16x16xf32> -> tensor<8x16xf32>
    ```
  }];
  let assemblyFormat = "`<` $value `>`";
}

class Bfly_Op<string mnemonic, list<Trait> traits = []>
    : Op<Bfly_Dialect, mnemonic, traits>;

#endif // BUTTERFLY_DIALECT_BFLY_DIALECT_TD
