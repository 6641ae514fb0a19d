// Express links (docs/architecture.md sections 1 and 5) on the
// default-express arch (examples/arch/default-express.json: links between
// PEs 2, 4 and 8 apart along rows and columns; every link is one hop). The
// same 16-word stream from PE(0,0) to PE(0,8) over one express link and
// over the 8 mesh links, then a multicast tree mixing express and mesh
// links. A stream of 4 flits to a PE h hops away: flit k is sent in beat k,
// visible and injected at k+1, arrives at k+1+h; the receiver's beats are
// 1+h .. 4+h and it finishes at 6+h (alu 1). Values against NumPy
// (Inputs/cases.py express).
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/cases.py express %t
// RUN: butterfly-translate --dfa-to-bitstream %s -o %t/p.bfbin
// RUN: butterfly-sim %t/p.bfbin --input %t/in0.npy \
// RUN:   --output-dir %t/out --stats %t/stats.json --trace %t/trace.json \
// RUN:   --expect %t/expected --rtol 0 --atol 0
// RUN: %python %S/Inputs/summary.py %t/stats.json %t/trace.json | FileCheck %s
// The default (mesh-only) arch rejects the express link.
// RUN: sed 's/noc_express = true/noc_express = false/' %s > %t/mesh-only.mlir
// RUN: not butterfly-translate --dfa-to-bitstream %t/mesh-only.mlir -o %t/mesh-only.bfbin 2>&1 | FileCheck %s --check-prefix=MESH
// MESH: link (0,0)->(0,8) is not a link of the mesh (express links are disabled)
// RUN: not test -e %t/mesh-only.bfbin

// Flit-hops: load 4x1, express 4x1, mesh 4x8, mixed 4x4 links, store
// 8 + 4 + 4. Cycles: (11 + 109) + (6 + 7) + (7 + 14) + (9 + 9) + (24 +
// 115) = 311.
// CHECK: total cycles=311 flops=48 noc_flit_hops=72 dram_bytes=320
dfa.program @express attributes {arch = #dfa.arch<{name = "default-express", noc_express = true}>, dram_words = 80 : i64} {
  dfa.buffer @io offset 0 size 80
  dfa.input @x dram 0 : tensor<16xf32>
  dfa.output @y0 dram 16 : tensor<32xf32>
  dfa.output @y1 dram 48 : tensor<16xf32>
  dfa.output @y2 dram 64 : tensor<16xf32>

  // 164 bytes -> 11; 64 B land at ceil(1.25) + 100 = 102, beats 104..107.
  // CHECK: phase load config_bytes=164 config_cycles=11 cycles=109 flops=0
  dfa.phase @load {
    dfa.pe (0, 0) {
      dfa.inst mov(n = 16, dst = lm[0], a = in0)
    }
    dfa.route west(0) -> [pe(0, 0, in0)] via [(0, -1) -> (0, 0)]
    dfa.dma dram_to_gb dram 0 gb 0 dims [[16, 1, 1]]
    dfa.dma gb_to_edge gb 0 edge west(0) dims [[16, 0, 1]] after [0]
  }
  // One express link skipping 8 PEs: h = 1, 6 + 1 = 7 (the producer: beat
  // 3 + 1 + 1 = 5). Config 64 + 8*2 + 4 = 84 -> 6.
  // CHECK: phase express config_bytes=84 config_cycles=6 cycles=7 flops=16
  // CHECK-NEXT: pe express PE(0,0) finish=5 instructions=1
  // CHECK-NEXT: pe express PE(0,8) finish=7 instructions=1
  dfa.phase @express {
    dfa.pe (0, 0) {
      dfa.inst mov(n = 16, dst = out[0], a = lm[0])
    }
    dfa.pe (0, 8) {
      dfa.inst vmul(n = 16, dst = lm[0], a = in0, b = imm 2.000000e+00)
    }
    dfa.route pe(0, 0, out0) -> [pe(0, 8, in0)] via [(0, 0) -> (0, 8)]
  }
  // The mesh path: h = 8, 6 + 8 = 14. Config 64 + 16 + 32 = 112 -> 7.
  // CHECK: phase mesh config_bytes=112 config_cycles=7 cycles=14 flops=16
  // CHECK-NEXT: pe mesh PE(0,0) finish=5 instructions=1
  // CHECK-NEXT: pe mesh PE(0,8) finish=14 instructions=1
  dfa.phase @mesh {
    dfa.pe (0, 0) {
      dfa.inst mov(n = 16, dst = out[0], a = lm[0])
    }
    dfa.pe (0, 8) {
      dfa.inst vadd(n = 16, dst = lm[16], a = in0, b = imm -1.000000e+00)
    }
    dfa.route pe(0, 0, out0) -> [pe(0, 8, in0)] via [(0, 0) -> (0, 1), (0, 1) -> (0, 2), (0, 2) -> (0, 3), (0, 3) -> (0, 4), (0, 4) -> (0, 5), (0, 5) -> (0, 6), (0, 6) -> (0, 7), (0, 7) -> (0, 8)]
  }
  // A multicast tree: express 4 + express 2 + mesh 1 along row 0 to
  // PE(0,7) (h = 3: 9) and express 8 down column 0 to PE(8,0) (h = 1: 7).
  // Config 96 + 8*3 + 4*4 = 136 -> ceil(8.5) = 9.
  // CHECK: phase mixed config_bytes=136 config_cycles=9 cycles=9 flops=16
  // CHECK-NEXT: pe mixed PE(0,0) finish=5 instructions=1
  // CHECK-NEXT: pe mixed PE(0,7) finish=9 instructions=1
  // CHECK-NEXT: pe mixed PE(8,0) finish=7 instructions=1
  dfa.phase @mixed {
    dfa.pe (0, 0) {
      dfa.inst mov(n = 16, dst = out[0], a = lm[0])
    }
    dfa.pe (0, 7) {
      dfa.inst mov(n = 16, dst = lm[0], a = in1)
    }
    dfa.pe (8, 0) {
      dfa.inst vmax(n = 16, dst = lm[0], a = in2, b = imm 0.000000e+00)
    }
    dfa.route pe(0, 0, out0) -> [pe(0, 7, in1), pe(8, 0, in2)] via [(0, 0) -> (0, 4), (0, 4) -> (0, 6), (0, 6) -> (0, 7), (0, 0) -> (8, 0)]
  }
  // Three streams to three edge ports; config 96 + 3*20 + 4*56 = 380 -> 24.
  // The longest (8 flits, beats 0..7) reaches north(8) by 9, so its DMA
  // ends at 10 and the 256-byte write to DRAM lands at 10 + 5 + 100 = 115.
  // CHECK: phase store config_bytes=380 config_cycles=24 cycles=115 flops=0
  // CHECK-NEXT: pe store PE(0,7) finish=5 instructions=1
  // CHECK-NEXT: pe store PE(0,8) finish=9 instructions=1
  // CHECK-NEXT: pe store PE(8,0) finish=5 instructions=1
  dfa.phase @store {
    dfa.pe (0, 8) {
      dfa.inst mov(n = 32, dst = out[0], a = lm[0])
    }
    dfa.pe (0, 7) {
      dfa.inst mov(n = 16, dst = out[0], a = lm[0])
    }
    dfa.pe (8, 0) {
      dfa.inst mov(n = 16, dst = out[0], a = lm[0])
    }
    dfa.route pe(0, 8, out0) -> [north(8)] via [(0, 8) -> (-1, 8)]
    dfa.route pe(0, 7, out0) -> [north(7)] via [(0, 7) -> (-1, 7)]
    dfa.route pe(8, 0, out0) -> [west(8)] via [(8, 0) -> (8, -1)]
    dfa.dma edge_to_gb gb 16 edge north(8) dims [[32, 0, 1]]
    dfa.dma edge_to_gb gb 48 edge north(7) dims [[16, 0, 1]]
    dfa.dma edge_to_gb gb 64 edge west(8) dims [[16, 0, 1]]
    dfa.dma gb_to_dram dram 16 gb 16 dims [[64, 1, 1]] after [0, 1, 2]
  }
}
