// Six phases on the tiny4x4 arch (examples/arch/tiny4x4.json: 8 config
// bytes per cycle, 16 DRAM bytes per cycle, 2 LM banks of 512 words, 4 GB
// banks, fifo_depth 2). Each phase's configuration takes ceil(bytes / 8)
// cycles with bytes = 32 per instruction + (8 + 4 words) per LM image + per
// route 8*(1 + destinations) + 4*links + per DMA 32 + 24*dims (section 7),
// the first phase too. The global buffer and local memory persist across
// phases: @load fills the GB, @scatter streams it into two PEs, @compute1
// and @compute2 use those words and an LM image of @compute1, @gather
// streams the results out. Values against NumPy (Inputs/cases.py phases).
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/cases.py phases %t
// RUN: butterfly-translate --dfa-to-bitstream %s -o %t/p.bfbin
// RUN: butterfly-sim %t/p.bfbin --input %t/in0.npy --output-dir %t/out \
// RUN:   --stats %t/stats.json --trace %t/trace.json --expect %t/expected --rtol 1e-6 --atol 0
// RUN: %python %S/Inputs/summary.py %t/stats.json %t/trace.json | FileCheck %s

// Total: (10 + 108) + (27 + 8) + (0 + 0) + (17 + 12) + (4 + 5) + (34 +
// 115) = 340 cycles; flops vmul, vexp, vadd of 16.
// CHECK: total cycles=340 flops=48 noc_flit_hops=16 dram_bytes=256
dfa.program @phases attributes {arch = #dfa.arch<{name = "tiny4x4", rows = 4 : i64, cols = 4 : i64, clock_ghz = 1.0 : f64, lanes = 4 : i64, imem = 32 : i64, local_mem_kib = 4 : i64, local_mem_banks = 2 : i64, fifo_depth = 2 : i64, noc_express = false, noc_express_max_log2 = 3 : i64, gb_kib = 64 : i64, gb_banks = 4 : i64, dram_gbps = 16.0 : f64, dram_latency_ns = 100.0 : f64, config_bytes_per_cycle = 8 : i64, latency = {alu = 1 : i64, exp = 8 : i64, rcp = 8 : i64, rsqrt = 8 : i64}}>, dram_words = 64 : i64} {
  dfa.buffer @x offset 0 size 32
  dfa.buffer @y offset 32 size 32
  dfa.input @xin dram 0 : tensor<2x16xf32>
  dfa.output @yout dram 32 : tensor<2x16xf32>

  // One DMA of 2 dims: 32 + 48 = 80 bytes -> 10. 128 B at 16 B/cycle: 8 +
  // 100 = 108.
  // CHECK: phase load config_bytes=80 config_cycles=10 cycles=108 flops=0
  dfa.phase @load {
    dfa.dma dram_to_gb dram 0 gb 0 dims [[2, 16, 16], [16, 1, 1]]
  }
  // 2 instructions (64) + 2 routes (2*20) + 2 DMAs (2*56) = 216 -> 27.
  // Flit k of x[0:16] is GB row k, of x[16:32] row 4+k: bank k for both. The
  // lower DMA index wins: west(0) pushes at 0..3, west(1) loses bank 0 at 0
  // and pushes at 1..4 (bank k at 1+k while west(0) holds bank k+1). The
  // PEs take each flit 2 cycles after its push: PE(0,0) beats 2..5 (finish
  // 7), PE(1,0) beats 3..6 (finish 8).
  // CHECK: phase scatter config_bytes=216 config_cycles=27 cycles=8 flops=0
  // CHECK-NEXT: pe scatter PE(0,0) finish=7 instructions=1
  // CHECK-NEXT: pe scatter PE(1,0) finish=8 instructions=1
  dfa.phase @scatter {
    dfa.pe (0, 0) {
      dfa.inst mov(n = 16, dst = lm[0], a = in0)
    }
    dfa.pe (1, 0) {
      dfa.inst mov(n = 16, dst = lm[0], a = in0)
    }
    dfa.route west(0) -> [pe(0, 0, in0)] via [(0, -1) -> (0, 0)]
    dfa.route west(1) -> [pe(1, 0, in0)] via [(1, -1) -> (1, 0)]
    dfa.dma gb_to_edge gb 0 edge west(0) dims [[16, 0, 1]]
    dfa.dma gb_to_edge gb 16 edge west(1) dims [[16, 0, 1]]
  }
  // Nothing to configure or run.
  // CHECK: phase empty config_bytes=0 config_cycles=0 cycles=0 flops=0
  dfa.phase @empty {
  }
  // 2 instructions (64) + an image of 16 words (8 + 64) = 136 -> 17.
  // PE(0,0): vmul n=16 with the sources in banks 0 and 1: 4 + 1 = 5;
  // PE(1,0): vexp n=16: 4 + 8 = 12.
  // CHECK: phase compute1 config_bytes=136 config_cycles=17 cycles=12 flops=32
  // CHECK-NEXT: pe compute1 PE(0,0) finish=5 instructions=1
  // CHECK-NEXT: pe compute1 PE(1,0) finish=12 instructions=1
  dfa.phase @compute1 {
    dfa.pe (0, 0) {
      dfa.init 512 dense<[0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0, 6.5, 7.0, 7.5, 8.0]> : tensor<16xf32>
      dfa.inst vmul(n = 16, dst = lm[32], a = lm[0], b = lm[512])
    }
    dfa.pe (1, 0) {
      dfa.inst vexp(n = 16, dst = lm[32], a = lm[0])
    }
  }
  // The image of @compute1 is still there: 32 bytes -> 4; 4 + 1 = 5.
  // CHECK: phase compute2 config_bytes=32 config_cycles=4 cycles=5 flops=16
  dfa.phase @compute2 {
    dfa.pe (0, 0) {
      dfa.inst vadd(n = 16, dst = lm[48], a = lm[32], b = lm[512])
    }
  }
  // 2 instructions (64) + 2 routes (40) + 3 DMAs (168) = 272 -> 34.
  // Both PEs send flit k in beat k, at their west edge at k+2. DMA 0 writes
  // GB rows 8..11 and DMA 1 rows 12..15: banks 0..3 both. DMA 0 pops at
  // 2..5; DMA 1 loses bank 0 at 2 and pops at 3..6 (bank k at 3+k, while
  // DMA 0 holds bank k+1), ending at 7. DMA 2 (128 B) waits for both: 7 + 8
  // + 100 = 115.
  // CHECK: phase gather config_bytes=272 config_cycles=34 cycles=115 flops=0
  // CHECK-NEXT: pe gather PE(0,0) finish=5 instructions=1
  // CHECK-NEXT: pe gather PE(1,0) finish=5 instructions=1
  dfa.phase @gather {
    dfa.pe (0, 0) {
      dfa.inst mov(n = 16, dst = out[0], a = lm[48])
    }
    dfa.pe (1, 0) {
      dfa.inst mov(n = 16, dst = out[0], a = lm[32])
    }
    dfa.route pe(0, 0, out0) -> [west(0)] via [(0, 0) -> (0, -1)]
    dfa.route pe(1, 0, out0) -> [west(1)] via [(1, 0) -> (1, -1)]
    dfa.dma edge_to_gb gb 32 edge west(0) dims [[16, 0, 1]]
    dfa.dma edge_to_gb gb 48 edge west(1) dims [[16, 0, 1]]
    dfa.dma gb_to_dram dram 32 gb 32 dims [[32, 1, 1]] after [0, 1]
  }
}
