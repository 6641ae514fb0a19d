// The roofline of stats.json (docs/simulator.md) on a compute-bound program
// with constants in both memories: x (16 floats) streams from the west edge
// into PE(0,0), which accumulates x*x onto lm[16] 256 times and streams
// y = 256 x^2 back. The constants @w (DRAM) and @g (GB) are never read, and
// still count: the bound is what must come from DRAM, not what the run
// moves. Values against NumPy (Inputs/cases.py roofline).
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/cases.py roofline %t
// RUN: butterfly-translate --dfa-to-bitstream %s -o %t/p.bfbin
// RUN: butterfly-sim %t/p.bfbin --input %t/in0.npy --output-dir %t/out \
// RUN:   --stats %t/stats.json --expect %t/expected --rtol 0 --atol 0
// RUN: FileCheck %s < %t/stats.json
// RUN: %python %S/Inputs/summary.py %t/stats.json | FileCheck %s --check-prefix=CYCLES

// Default arch: 16x16 PEs x 4 lanes x 2 = 2048 flops/cycle; 51.2 GB/s at
// 1 GHz = 51.2 bytes/cycle.
// - flops: 256 vfma of 16 elements, 2 each: 8192 -> 8192 / 2048 = 4 cycles.
// - bytes: x and y 16 words each (64 + 64), @w and @g 4 words each (16 +
//   16): 160 -> 160 / 51.2 = 3.125 cycles. Compute binds: 4 cycles.
// - cycles (architecture.md sections 4, 6, 7): config 4 instructions (128)
//   + 2 routes of one link (2 * 20) + 4 DMAs of one dim (4 * 56) = 392 ->
//   25. x (64 B) lands in the GB at ceil(1.25) + 100 = 102; flit k is
//   pushed at 102+k and is at PE(0,0) at 104+k: the mov's beats run in
//   104..107, + 1 -> 109; the loop issues at 109. Each vfma reads a, b and
//   its destination from bank 0 (f = 3): 4 * 3 + 1 = 13 cycles, 256 of them
//   from 110: 3438. The send's beats run in 3438..3441; flit k reaches the
//   edge at 3440+k, the edge->gb DMA pops the last at 3443 and ends at 3444;
//   the gb->dram DMA holds the channel 1.25 cycles and lands at 3446 + 100
//   = 3546. Total 25 + 3546 = 3571 = 892.75 times the bound.
// - traffic: 4 flits in and 4 out over one link each; only x and y cross
//   the DRAM channel (128 bytes), fewer than the bound counts.
// CYCLES: total cycles=3571 flops=8192 noc_flit_hops=8 dram_bytes=128
// The stats print keys in sorted order.
// CHECK:      "roofline": {
// CHECK-NEXT:   "bound": "compute",
// CHECK-NEXT:   "bound_cycles": 4,
// CHECK-NEXT:   "compulsory_dram_bytes": 160,
// CHECK-NEXT:   "compute_bound_cycles": 4,
// CHECK-NEXT:   "constant_bytes": 32,
// CHECK-NEXT:   "cycles_over_bound": 892.75,
// CHECK-NEXT:   "dram_bound_cycles": 3.125,
// CHECK-NEXT:   "dram_bytes_per_cycle": 51.2{{[0-9]*}},
// CHECK-NEXT:   "flops": 8192,
// CHECK-NEXT:   "input_bytes": 64,
// CHECK-NEXT:   "output_bytes": 64,
// CHECK-NEXT:   "peak_flops_per_cycle": 2048
// CHECK-NEXT: },

dfa.program @roofline attributes {arch = #dfa.arch<{}>, dram_words = 36 : i64} {
  dfa.buffer @xb offset 0 size 16
  dfa.buffer @yb offset 16 size 16
  dfa.buffer @gc offset 32 size 4
  dfa.constant @w dram 32 dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  dfa.constant @g gb 32 dense<[5.0, 6.0, 7.0, 8.0]> : tensor<4xf32>
  dfa.input @x dram 0 : tensor<16xf32>
  dfa.output @y dram 16 : tensor<16xf32>
  dfa.phase @square {
    dfa.pe (0, 0) {
      dfa.inst mov(n = 16, dst = lm[0], a = in0)
      dfa.inst loop(p0 = 256, p1 = 1)
      dfa.inst vfma(n = 16, dst = lm[16], a = lm[0], b = lm[0])
      dfa.inst mov(n = 16, dst = out[0], a = lm[16])
    }
    dfa.route west(0) -> [pe(0, 0, in0)] via [(0, -1) -> (0, 0)]
    dfa.route pe(0, 0, out0) -> [west(0)] via [(0, 0) -> (0, -1)]
    dfa.dma dram_to_gb dram 0 gb 0 dims [[16, 1, 1]]
    dfa.dma gb_to_edge gb 0 edge west(0) dims [[16, 0, 1]] after [0]
    dfa.dma edge_to_gb gb 16 edge west(0) dims [[16, 0, 1]]
    dfa.dma gb_to_dram dram 16 gb 16 dims [[16, 1, 1]] after [2]
  }
}
