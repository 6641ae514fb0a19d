//===- Passes.td - bfly to dfa conversion passes -----------*- tablegen -*-===//
//
// Passes 4 and 5 of the pipeline (DESIGN §5): multilayer tiling and PE
// mapping, from decomposed bfly IR to a dfa.program.
//
//===----------------------------------------------------------------------===//

#ifndef BUTTERFLY_CONVERSION_PASSES_TD
#define BUTTERFLY_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def BflyMultilayerTiling : Pass<"bfly-multilayer-tiling", "mlir::ModuleOp"> {
  let summary = "Group decomposed ops into phases and PE column bands";
  let description = [{
    Plans how the entry function of a decomposed model runs on the array
    (docs/compiler.md). Every tensor is a stream of rows (its last
    dimension); ops that transform rows — elementwise, bias, softmax,
    layernorm, GELU, linears with constant weights, bit reversal, butterfly
    stages, complex/real conversion — run on PEs, one op per PE column,
    with the rows distributed over the PE rows. Reshapes and transposes are
    views: they become the strides of the DMA that streams the next
    consumer's rows.

    With `dataflow=multilayer`, consecutive row ops whose intermediate
    results have no other user are resident together in one phase, op k on
    column k, streaming into each other west to east (the multilayer
    dataflow); with `dataflow=layer-by-layer` every op is its own phase and
    intermediates go through the global buffer (the baseline). A linear or
    matmul whose weight does not fit one PE spans a band of columns
    (`dfa.width`), split by output columns or by the contraction
    (`dfa.split_k`); one whose weight fits no band is computed in tiles of
    output columns (`dfa.tiles`), and a blocked linear's tile width and
    block of rows (`dfa.block_rows`) are searched with the cost model, the
    search reported as a remark (candidates, time, chosen cost). The plan is
    recorded on the ops as `dfa.phase`, `dfa.column` and `dfa.pe_rows`
    attributes for `bfly-pe-mapping`. An op outside this set is an error
    naming it.

    ```mlir
    %0 = bfly.scale %x by 2.0 {dfa.column = 0 : i64, dfa.pe_rows = 4 : i64, dfa.phase = 0 : i64} : tensor<4x16xf32>
    %1 = bfly.relu %0 {dfa.column = 1 : i64, dfa.pe_rows = 4 : i64, dfa.phase = 0 : i64} : tensor<4x16xf32>
    ```
  }];
  let options = [
    Option<"archFile", "arch", "std::string", /*default=*/"\"\"",
           "Arch JSON (default: the built-in 16x16 array)">,
    Option<"dataflow", "dataflow", "std::string", /*default=*/"\"multilayer\"",
           "multilayer | layer-by-layer">,
  ];
}

def BflyPeMapping : Pass<"bfly-pe-mapping", "mlir::ModuleOp"> {
  let summary = "Emit the dfa.program of a tiled model";
  let description = [{
    Turns the entry function planned by `bfly-multilayer-tiling` into a
    `dfa.program`: DRAM and global-buffer allocation (tensors that do not
    fit the global buffer live in DRAM and stream through staging slots),
    one phase per planned phase with a PE program per (row, column)
    (hardware loops over the rows it owns, instruction selection per op),
    routes (west edge → column 0 → … → last column → back to the west edge,
    over express links when the arch has them; weights and constants
    multicast down each column from its north edge) and the DMA descriptors
    that load inputs, stream rows through the edge ports (with the strides
    of reshape/transpose views) and store outputs. The function is replaced
    by the program, and a remark gives the cycles the mapped-phase cost
    model predicts for it. What does not fit — local memory, instruction
    memory, rows that do not fill whole flits — is an error naming the op,
    the resource and the PE.

    ```mlir
    dfa.program @main attributes {arch = #dfa.arch<{...}>, dram_words = 128 : i64} {
      dfa.input @arg0 dram 0 : tensor<4x16xf32>
      ...
    }
    ```
  }];
  let options = [
    Option<"archFile", "arch", "std::string", /*default=*/"\"\"",
           "Arch JSON (default: the built-in 16x16 array)">,
  ];
  let dependentDialects = ["::butterfly::dfa::DfaDialect"];
}

#endif // BUTTERFLY_CONVERSION_PASSES_TD
