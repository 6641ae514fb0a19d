// Streams through the network in one phase (docs/architecture.md sections
// 2-5): a route multicast to four PEs (one source, a tree of five links),
// a PE multicast to two out-ports (vadd out[0, 1]), a port -> port forward
// (mov out, in), arithmetic on two in-ports (vmul lm, in0, in1), a
// reduction into a port (one flit: sum, 0, 0, 0), bitrev into a port, a
// gemm whose `a` streams in (a flit every L*ceil(n/L) = 4 beats), and
// streams to and from both edges. Values against NumPy (Inputs/cases.py
// network); flit-hops and cycles by hand.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/cases.py network %t
// RUN: butterfly-translate --dfa-to-bitstream %s -o %t/p.bfbin
// RUN: butterfly-sim %t/p.bfbin --input %t/in0.npy --input %t/in1.npy \
// RUN:   --output-dir %t/out --stats %t/stats.json --trace %t/trace.json \
// RUN:   --expect %t/expected --rtol 1e-5 --atol 1e-6
// RUN: %python %S/Inputs/summary.py %t/stats.json %t/trace.json | FileCheck %s
//
//   west(0) -> PE(0,0): x + 1 -> out0 -> PE(0,1) in2 -> forward -> north(1)    y0 = x + 1
//                                     -> PE(0,2) in3 -> vexp    -> north(2)    y1 = exp(x + 1)
//                                     -> PE(0,3) in0 -> gemm.init -> north(3)  y4 = (x + 1) as 2x8 . B
//                                     -> PE(2,1) in0 \
//   west(2) -> w ------------------------> PE(2,1) in1 -> vmul, reduce.sum -> west(2)  y2 = [(x + 1).w, 0, 0, 0]
//                            -> out1 -> PE(1,0) in0 -> bitrev  -> west(1)    y3 = bitrev16(x + 1)
//
// Flit-hops: 4 flits over the 5 links of the multicast tree (20), over 1
// link for west(0) -> PE(0,0), PE(0,0) out1, PE(0,1), PE(0,2), PE(1,0)
// (4 each: 20), over 2 links for west(2) -> PE(2,1) (8); PE(2,1)'s one flit
// over 2 links (2) and PE(0,3)'s 2 flits over 1 (2): 52.
// flops: vadd, vexp, vmul, reduce.sum 16 each, gemm 2*2*4*8 = 128: 192.
// CHECK: total cycles=308 flops=192 noc_flit_hops=52 dram_bytes=368
//
// Config: 9 instructions (288) + the image of 32 words (8 + 128) + routes
// 8*(1 + dsts) + 4*links: 20 + 24 + (40 + 20) + 20 + 3*20 + 24 + 20 = 228,
// + 9 DMAs of one dim (504) = 1156 -> ceil(72.25) = 73.
// Execution (flit k = 0..3; "at t" = in the destination FIFO from t):
// - DMA 0 (128 B) lands at ceil(2.5) + 100 = 103; DMAs 1 and 2 (GB banks
//   0-3 and 4-7) push flit k at 103+k, injected at 104+k: x at PE(0,0) at
//   105+k, w at PE(2,1) (2 hops) at 106+k.
// - PE(0,0): beats 105..108, finish 110; result flit k visible at 106+k,
//   so the multicast delivers it 1, 2, 3, 3 hops away: PE(0,1) at 107+k,
//   PE(0,2) at 108+k, PE(0,3) and PE(2,1) at 109+k; PE(1,0) at 107+k.
// - PE(0,1) forwards in beats 107..110: finish 112, north(1) at 109+k.
// - PE(0,2) vexp: beats 108..111, finish 111 + 1 + 8 = 120; its flits are
//   visible after the exp latency (beat + 8) and reach north(2) at 117+k.
// - PE(0,3) gemm.init m=2 n=4 k=8: 16 beats, a flit of a every 4 beats
//   (beats 4j take flit j, in by 109+j): beats 109..124, done at 126; the
//   mov of 2 flits runs beats 126, 127: finish 129, north(3) at 128, 129.
// - PE(2,1) vmul: both operands in by 109+k: beats 109..112, done at 114;
//   reduce.sum 4 beats 114..117 + 1 + log2 4: finish 121; its one flit
//   (beat 3, visible at 117 + 3 = 120) reaches west(2) at 122.
// - PE(1,0): mov beats 107..110, done at 112; bitrev beats 112..115 (flits
//   visible at 113..116, west(1) at 114..117), finish 117.
// - The edge->gb DMAs pop each flit as it arrives (their GB rows are in
//   distinct banks: 8-11, 12-15, 0, 1-4, 5-6); the last pop is at 129, so
//   DMA 8 (240 B) starts at 130: ceil(130 + 4.69) = 135, + 100 = 235.
// CHECK-NEXT: phase stream config_bytes=1156 config_cycles=73 cycles=235 flops=192
// CHECK-NEXT: pe stream PE(0,0) finish=110 instructions=1
// CHECK-NEXT: pe stream PE(0,1) finish=112 instructions=1
// CHECK-NEXT: pe stream PE(0,2) finish=120 instructions=1
// CHECK-NEXT: pe stream PE(0,3) finish=129 instructions=2
// CHECK-NEXT: pe stream PE(1,0) finish=117 instructions=2
// CHECK-NEXT: pe stream PE(2,1) finish=121 instructions=2
dfa.program @network attributes {arch = #dfa.arch<{}>, dram_words = 96 : i64} {
  dfa.buffer @io offset 0 size 96
  dfa.input @x dram 0 : tensor<16xf32>
  dfa.input @w dram 16 : tensor<16xf32>
  dfa.output @y0 dram 32 : tensor<16xf32>
  dfa.output @y1 dram 48 : tensor<16xf32>
  dfa.output @y2 dram 64 : tensor<4xf32>
  dfa.output @y3 dram 68 : tensor<16xf32>
  dfa.output @y4 dram 84 : tensor<2x4xf32>
  dfa.phase @stream {
    dfa.pe (0, 0) {
      dfa.inst vadd(n = 16, dst = out[0, 1], a = in0, b = imm 1.000000e+00)
    }
    dfa.pe (0, 1) {
      dfa.inst mov(n = 16, dst = out[0], a = in2)
    }
    dfa.pe (0, 2) {
      dfa.inst vexp(n = 16, dst = out[0], a = in3)
    }
    dfa.pe (0, 3) {
      // B (8x4, row-major) = 0.5 * arange(32) - 8.
      dfa.init 2048 dense<[-8.0, -7.5, -7.0, -6.5, -6.0, -5.5, -5.0, -4.5, -4.0, -3.5, -3.0, -2.5, -2.0, -1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0, 6.5, 7.0, 7.5]> : tensor<32xf32>
      dfa.inst gemm(n = 4, p0 = 2, p1 = 8, flags = 1, dst = lm[100], a = in0, b = lm[2048])
      dfa.inst mov(n = 8, dst = out[0], a = lm[100])
    }
    dfa.pe (2, 1) {
      dfa.inst vmul(n = 16, dst = lm[0], a = in0, b = in1)
      dfa.inst reduce.sum(n = 16, dst = out[0], a = lm[0])
    }
    dfa.pe (1, 0) {
      dfa.inst mov(n = 16, dst = lm[0], a = in0)
      dfa.inst bitrev(n = 16, dst = out[0], a = lm[0])
    }
    dfa.route west(0) -> [pe(0, 0, in0)] via [(0, -1) -> (0, 0)]
    dfa.route west(2) -> [pe(2, 1, in1)] via [(2, -1) -> (2, 0), (2, 0) -> (2, 1)]
    dfa.route pe(0, 0, out0) -> [pe(0, 2, in3), pe(2, 1, in0), pe(0, 1, in2), pe(0, 3, in0)] via [(0, 0) -> (0, 1), (0, 1) -> (0, 2), (0, 1) -> (1, 1), (1, 1) -> (2, 1), (0, 2) -> (0, 3)]
    dfa.route pe(0, 0, out1) -> [pe(1, 0, in0)] via [(0, 0) -> (1, 0)]
    dfa.route pe(0, 1, out0) -> [north(1)] via [(0, 1) -> (-1, 1)]
    dfa.route pe(0, 2, out0) -> [north(2)] via [(0, 2) -> (-1, 2)]
    dfa.route pe(0, 3, out0) -> [north(3)] via [(0, 3) -> (-1, 3)]
    dfa.route pe(2, 1, out0) -> [west(2)] via [(2, 1) -> (2, 0), (2, 0) -> (2, -1)]
    dfa.route pe(1, 0, out0) -> [west(1)] via [(1, 0) -> (1, -1)]
    dfa.dma dram_to_gb dram 0 gb 0 dims [[32, 1, 1]]
    dfa.dma gb_to_edge gb 0 edge west(0) dims [[16, 0, 1]] after [0]
    dfa.dma gb_to_edge gb 16 edge west(2) dims [[16, 0, 1]] after [0]
    dfa.dma edge_to_gb gb 32 edge north(1) dims [[16, 0, 1]]
    dfa.dma edge_to_gb gb 48 edge north(2) dims [[16, 0, 1]]
    dfa.dma edge_to_gb gb 64 edge west(2) dims [[4, 0, 1]]
    dfa.dma edge_to_gb gb 68 edge west(1) dims [[16, 0, 1]]
    dfa.dma edge_to_gb gb 84 edge north(3) dims [[8, 0, 1]]
    dfa.dma gb_to_dram dram 32 gb 32 dims [[60, 1, 1]] after [3, 4, 5, 6, 7]
  }
}
