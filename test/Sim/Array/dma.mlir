// DMA patterns (docs/architecture.md section 6) on the default arch: a
// transpose DRAM -> GB through strides, a stream from the west edge and a
// 3-D broadcast (stride 0) from the north edge, writes back through both
// edges (one with a negative stride that reverses rows), a transposing
// GB -> DRAM write, a reversing DRAM -> GB copy, and the DRAM channel timing
// of the section 6 example (two transfers at once: 120 and 140; one waiting
// for the other: 240). Values against NumPy (Inputs/cases.py dma).
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/cases.py dma %t
// RUN: butterfly-translate --dfa-to-bitstream %s -o %t/p.bfbin
// RUN: butterfly-sim %t/p.bfbin --input %t/in0.npy --input %t/in1.npy \
// RUN:   --output-dir %t/out --stats %t/stats.json --expect %t/expected --rtol 0 --atol 0
// RUN: %python %S/Inputs/summary.py %t/stats.json | FileCheck %s
// RUN: FileCheck %s --check-prefix=ROOF < %t/stats.json

// Totals: (41 + 213) + (7 + 140) + (7 + 240) = 648 cycles; 4 routes of one
// link carry 4 flits each; DRAM bytes 96 + 64 + 64 + 2*1024 + 2*1024 = 4320.
// CHECK: total cycles=648 flops=32 noc_flit_hops=16 dram_bytes=4320

// Roofline (docs/simulator.md), from the signature: inputs x (24 words) and
// w (256): 1120 bytes; outputs y, z (16 each) and wr (256): 1152 bytes; no
// constants. 2272 bytes at 51.2 bytes/cycle: 44.375 cycles, against 32 /
// 2048 = 0.015625 for the flops: DRAM binds, and 648 / 44.375 =
// 14.6028... (The run moves more, 4320 bytes: the last two phases read w
// three times.)
// ROOF:      "roofline": {
// ROOF-NEXT:   "bound": "dram",
// ROOF-NEXT:   "bound_cycles": 44.375,
// ROOF-NEXT:   "compulsory_dram_bytes": 2272,
// ROOF-NEXT:   "compute_bound_cycles": 0.015625,
// ROOF-NEXT:   "constant_bytes": 0,
// ROOF-NEXT:   "cycles_over_bound": 14.6028{{[0-9]*}},
// ROOF-NEXT:   "dram_bound_cycles": 44.375,
// ROOF-NEXT:   "dram_bytes_per_cycle": 51.2{{[0-9]*}},
// ROOF-NEXT:   "flops": 32,
// ROOF-NEXT:   "input_bytes": 1120,
// ROOF-NEXT:   "output_bytes": 1152,
// ROOF-NEXT:   "peak_flops_per_cycle": 2048
// ROOF-NEXT: },
dfa.program @dma attributes {arch = #dfa.arch<{}>, dram_words = 576 : i64} {
  dfa.buffer @xt offset 0 size 24
  dfa.buffer @yb offset 32 size 16
  dfa.buffer @zb offset 48 size 16
  dfa.buffer @w1 offset 64 size 256
  dfa.buffer @w2 offset 320 size 256
  dfa.buffer @w3 offset 576 size 256
  dfa.input @x dram 0 : tensor<4x6xf32>
  dfa.input @w dram 32 : tensor<256xf32>
  dfa.output @y dram 288 : tensor<4x4xf32>
  dfa.output @z dram 304 : tensor<4x4xf32>
  dfa.output @wr dram 320 : tensor<256xf32>

  // DMA 0: gb[4j + i] = x[i][j] (dims j: 6, dram 1, gb 4; i: 4, dram 6,
  //   gb 1): xt = x^T, 6x4.
  // DMA 1: xt rows 1..4 (x columns 1..4) -> west edge 0 -> PE(0,0), which
  //   adds 100 and sends back west; DMA 3 writes flit r (row r) reversed:
  //   gb[35 + 4r - c], so y[r][c] = x[3-c][r+1] + 100.
  // DMA 2: xt row 0 (x column 0) four times (3-D, strides 0) -> north edge
  //   1 -> PE(0,1), which doubles it and sends back north; DMA 4 stores it
  //   as zb (4x4, zb[r][c] = 2 x[c][0]); DMA 6 writes zb^T to DRAM
  //   (dram 304 + i0 + 4 i1 <- gb 48 + 4 i0 + i1): z[a][b] = 2 x[a][0].
  //
  // Config: 2 instructions (64) + 4 routes of one link (4 * 20) + DMAs:
  // 32 + 24*dims with dims 2, 1, 3, 2, 1, 1, 2: 7*32 + 24*12 = 512; total
  // 656 -> 41.
  // Execution: DMA 0 (96 B) lands at ceil(96/51.2) + 100 = 102. DMAs 1 and 2
  // read GB rows 1..4 and row 0 (banks 1..4 and 0): no conflict; each
  // pushes flit k at 102+k, the PEs see it at 104+k (beats 104..107), their
  // results reach the edges at 106..109, where DMAs 3 and 4 pop them (rows
  // 8..11 and 12..15: banks 8..15) and end at 110. DMA 5 (64 B) then takes
  // the DRAM channel for [110, 111.25), DMA 6 (64 B, same start, higher
  // index) for [111.25, 112.5): they finish at 112 + 100 and 113 + 100.
  // CHECK: phase stream config_bytes=656 config_cycles=41 cycles=213 flops=32
  dfa.phase @stream {
    dfa.pe (0, 0) {
      dfa.inst vadd(n = 16, dst = out[0], a = in0, b = imm 1.000000e+02)
    }
    dfa.pe (0, 1) {
      dfa.inst vmul(n = 16, dst = out[0], a = in0, b = imm 2.000000e+00)
    }
    dfa.route west(0) -> [pe(0, 0, in0)] via [(0, -1) -> (0, 0)]
    dfa.route north(1) -> [pe(0, 1, in0)] via [(-1, 1) -> (0, 1)]
    dfa.route pe(0, 0, out0) -> [west(0)] via [(0, 0) -> (0, -1)]
    dfa.route pe(0, 1, out0) -> [north(1)] via [(0, 1) -> (-1, 1)]
    dfa.dma dram_to_gb dram 0 gb 0 dims [[6, 1, 4], [4, 6, 1]]
    dfa.dma gb_to_edge gb 4 edge west(0) dims [[16, 0, 1]] after [0]
    dfa.dma gb_to_edge gb 0 edge north(1) dims [[2, 0, 0], [2, 0, 0], [4, 0, 1]] after [0]
    dfa.dma edge_to_gb gb 35 edge west(0) dims [[4, 0, 4], [4, 0, -1]]
    dfa.dma edge_to_gb gb 48 edge north(1) dims [[16, 0, 1]]
    dfa.dma gb_to_dram dram 288 gb 32 dims [[16, 1, 1]] after [3]
    dfa.dma gb_to_dram dram 304 gb 48 dims [[4, 1, 4], [4, 4, 1]] after [4]
  }

  // Two 1024-byte transfers start together: the first holds the channel for
  // [0, 20) and lands at 20 + 100 = 120, the second [20, 40): 140.
  // Config 2 DMAs = 112 -> 7.
  // CHECK: phase dram_parallel config_bytes=112 config_cycles=7 cycles=140 flops=0
  dfa.phase @dram_parallel {
    dfa.dma dram_to_gb dram 32 gb 64 dims [[256, 1, 1]]
    dfa.dma dram_to_gb dram 32 gb 320 dims [[256, 1, 1]]
  }
  // A reversing copy into the GB (gb[831 - i] = w[i]: 120) and a write back
  // that waits for it: 120 + 20 + 100 = 240. wr = w[::-1].
  // CHECK: phase dram_chain config_bytes=112 config_cycles=7 cycles=240 flops=0
  dfa.phase @dram_chain {
    dfa.dma dram_to_gb dram 32 gb 831 dims [[256, 1, -1]]
    dfa.dma gb_to_dram dram 320 gb 576 dims [[256, 1, 1]] after [0]
  }
}
