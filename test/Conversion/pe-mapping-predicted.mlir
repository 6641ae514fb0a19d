// RUN: butterfly-opt %s --bfly-multilayer-tiling=arch=%S/../../examples/arch/tiny4x4.json \
// RUN:   --bfly-pe-mapping=arch=%S/../../examples/arch/tiny4x4.json \
// RUN:   --mlir-print-op-on-diagnostic=false -o /dev/null 2>&1 | FileCheck %s

// The mapper reports the cycles it predicts (docs/cost-model.md, "Mapped
// phases"), here computed by hand on the 4x4 arch (4 GB banks, 8
// configuration bytes and 16 DRAM bytes per cycle, 100 cycles of DRAM
// latency). A relu over 8 rows of 16 words: PE rows r = 0..3 take rows r and
// r + 4 on column 0.
//
// load: one DMA (32 + 24 bytes): 7 cycles; 512 bytes from DRAM: 32 + 100.
// phase0: 4 PEs x 5 instructions x 32 bytes + 8 routes x (8·2 + 4) + 8 DMAs
//   x (32 + 2·24) = 1440 bytes: 180 cycles. Each PE: `loop` 1, then per row
//   (unit) recv 4 beats + 1, vmax 4 + 1, send 4 + 1: 1 + 2·15 = 31. Every
//   input stream starts on bank 0, so row r's first flit is pushed at r,
//   arrives at r + 2: PE 3 runs from 5 to 35; its last flit reaches the
//   buffer at 35 - 1 + 1, popped by 36.
// store: one DMA (32 + 2·24 bytes): 10 cycles; 32 + 100.
// CHECK: remark: bfly-pe-mapping: predicted 497 cycles (197 configuration, 300 execution) over 3 phases
func.func @main(%x: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %0 = bfly.relu %x : tensor<8x16xf32>
  return %0 : tensor<8x16xf32>
}
