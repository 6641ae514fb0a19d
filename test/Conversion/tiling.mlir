// RUN: butterfly-opt %s --bfly-multilayer-tiling --split-input-file | FileCheck %s --check-prefix=ML
// RUN: butterfly-opt %s --bfly-multilayer-tiling=dataflow=layer-by-layer --split-input-file | FileCheck %s --check-prefix=LBL

// Multilayer: a chain of row ops whose intermediates have one reader shares
// one phase, one op per column; layer-by-layer: one phase per op. The 8 rows
// spread over 8 PE rows of the 16x16 array.
// ML-LABEL: func.func @chain
// ML: bfly.scale {{.*}}dfa.column = 0 : i64, dfa.pe_rows = 8 : i64, dfa.phase = 0 : i64
// ML: bfly.relu {{.*}}dfa.column = 1 : i64, dfa.pe_rows = 8 : i64, dfa.phase = 0 : i64
// ML: bfly.softmax {{.*}}dfa.column = 2 : i64, dfa.pe_rows = 8 : i64, dfa.phase = 0 : i64
// LBL-LABEL: func.func @chain
// LBL: bfly.scale {{.*}}dfa.column = 0 : i64, dfa.pe_rows = 8 : i64, dfa.phase = 0 : i64
// LBL: bfly.relu {{.*}}dfa.column = 0 : i64, dfa.pe_rows = 8 : i64, dfa.phase = 1 : i64
// LBL: bfly.softmax {{.*}}dfa.column = 0 : i64, dfa.pe_rows = 8 : i64, dfa.phase = 2 : i64
func.func @chain(%x: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %0 = bfly.scale %x by 2.0 : tensor<8x16xf32>
  %1 = bfly.relu %0 : tensor<8x16xf32>
  %2 = bfly.softmax %1 axis 1 : tensor<8x16xf32>
  return %2 : tensor<8x16xf32>
}

// -----

// A result with two readers is materialized: the chain ends there. An add of
// two streams starts a phase of its own. Views (reshape) cost nothing.
// ML-LABEL: func.func @branches
// ML: bfly.scale {{.*}}dfa.column = 0 : i64{{.*}}dfa.phase = 0 : i64
// ML: bfly.relu {{.*}}dfa.column = 0 : i64{{.*}}dfa.phase = 1 : i64
// ML: bfly.add {{.*}}dfa.column = 0 : i64{{.*}}dfa.phase = 2 : i64
// ML: bfly.gelu {{.*}}dfa.column = 1 : i64{{.*}}dfa.phase = 2 : i64
// ML-NOT: bfly.reshape {{.*}}dfa.phase
func.func @branches(%x: tensor<4x16xf32>) -> tensor<64xf32> {
  %0 = bfly.scale %x by 2.0 : tensor<4x16xf32>
  %1 = bfly.relu %0 : tensor<4x16xf32>
  %2 = bfly.add %0, %1 : tensor<4x16xf32>
  %3 = bfly.gelu %2 : tensor<4x16xf32>
  %4 = bfly.reshape %3 : tensor<4x16xf32> -> tensor<64xf32>
  return %4 : tensor<64xf32>
}

// -----

// Attention's matmuls are grouped heads: groups (batch x head) over the PE
// rows and, with fewer groups than PE rows, each group's rows in slices:
// 16 / 6 groups = 2 slices of 4 rows each, 12 PE rows.
// ML-LABEL: func.func @attention
// ML: bfly.matmul {{.*}}dfa.column = 0 : i64, dfa.pe_rows = 12 : i64, dfa.phase = 0 : i64
// ML: bfly.softmax {{.*}}dfa.column = 1 : i64, dfa.pe_rows = 12 : i64, dfa.phase = 0 : i64
// ML: bfly.matmul {{.*}}dfa.column = 0 : i64, dfa.pe_rows = 12 : i64, dfa.phase = 1 : i64
func.func @attention(%q: tensor<2x3x8x4xf32>, %kt: tensor<2x3x4x8xf32>,
                     %v: tensor<2x3x8x4xf32>) -> tensor<2x3x8x4xf32> {
  %s = bfly.matmul %q, %kt : tensor<2x3x8x4xf32>, tensor<2x3x4x8xf32> -> tensor<2x3x8x8xf32>
  %p = bfly.softmax %s axis 3 : tensor<2x3x8x8xf32>
  %o = bfly.matmul %p, %v : tensor<2x3x8x8xf32>, tensor<2x3x8x4xf32> -> tensor<2x3x8x4xf32>
  return %o : tensor<2x3x8x4xf32>
}

// -----

// Groups of 5 rows split only into 5 slices of 1 row (16 / 3 groups = 5): 3 x
// 5 = 15 PE rows.
// ML-LABEL: func.func @odd_groups
// ML: bfly.matmul {{.*}}dfa.column = 0 : i64, dfa.pe_rows = 15 : i64, dfa.phase = 0 : i64
func.func @odd_groups(%q: tensor<3x5x4xf32>, %kt: tensor<3x4x8xf32>) -> tensor<3x5x8xf32> {
  %s = bfly.matmul %q, %kt : tensor<3x5x4xf32>, tensor<3x4x8xf32> -> tensor<3x5x8xf32>
  return %s : tensor<3x5x8xf32>
}
