//===- Examples.cpp - Hand-mapped example programs for the array ----------===//
//
// The streaming FFT bands and the systolic GEMM of docs/architecture.md
// section 10, built instruction by instruction.
//
//===----------------------------------------------------------------------===//

#include "butterfly/Sim/Examples.h"

#include <algorithm>
#include <cmath>

using namespace butterfly;
using namespace butterfly::bitstream;
using namespace butterfly::sim;
using I = Instruction;
using O = Operand;

namespace {

bool isWestEdge(const Node &n) { return n.col == -1; }
bool isNorthEdge(const Node &n) { return n.row == -1; }

/// Links from \p from to \p to, along the row first.
std::vector<Link> xyPath(Node from, Node to) {
  std::vector<Link> links;
  Node at = from;
  auto step = [&](Node next) {
    links.push_back({at, next});
    at = next;
  };
  if (isWestEdge(at))
    step({at.row, 0});
  else if (isNorthEdge(at))
    step({0, at.col});
  Node target = isWestEdge(to)    ? Node{to.row, 0}
                : isNorthEdge(to) ? Node{0, to.col}
                                  : to;
  while (at.col != target.col)
    step({at.row, at.col + (target.col > at.col ? 1 : -1)});
  while (at.row != target.row)
    step({at.row + (target.row > at.row ? 1 : -1), at.col});
  if (to != target)
    step(to);
  return links;
}

Endpoint pePort(int64_t row, int64_t col, int64_t port) {
  return {{row, col}, port};
}
Endpoint westEdge(int64_t row) { return {{row, -1}, 0}; }
Endpoint northEdge(int64_t col) { return {{-1, col}, 0}; }

Program newProgram(const arch::Arch &arch, const char *name) {
  Program p;
  p.name = name;
  p.arch = arch;
  return p;
}

} // namespace

Route examples::xyRoute(const Endpoint &src, llvm::ArrayRef<Endpoint> dsts) {
  Route r;
  r.src = src;
  r.dsts.assign(dsts.begin(), dsts.end());
  for (const Endpoint &d : dsts)
    for (const Link &l : xyPath(src.node, d.node))
      if (std::find(r.links.begin(), r.links.end(), l) == r.links.end())
        r.links.push_back(l);
  return r;
}

Program examples::fftBands(const arch::Arch &arch, int64_t n, int64_t frames,
                           int64_t bands) {
  int64_t stages = 0;
  while ((int64_t(1) << stages) < n)
    ++stages;
  const int64_t pesPerBand = (stages + 1) / 2, words = 2 * n;
  const int64_t lmWords = arch.localMemBytes / 4;
  // Twiddles in the second bank, away from the data (docs: bank factor).
  const int64_t twiddles =
      arch.localMemBanks > 1 ? lmWords / arch.localMemBanks : 2 * words;
  const int64_t total = frames * words;

  Program p = newProgram(arch, "fft_bands");
  p.dramWords = 2 * bands * total;
  p.inputs = {{"x", ElementKind::Complex64, {bands, frames, n}, 0}};
  p.outputs = {
      {"y", ElementKind::Complex64, {bands, frames, n}, bands * total}};
  p.buffers = {{"x_gb", 0, bands * total},
               {"y_gb", bands * total, bands * total}};

  Phase phase;
  phase.name = "fft";
  for (int64_t r = 0; r < bands; ++r) {
    for (int64_t k = 0; k < pesPerBand; ++k) {
      // Stage s pairs elements 2^s apart: w_j = exp(-2 pi i j / 2^(s+1)).
      MemInit table;
      table.addr = twiddles;
      std::vector<std::pair<int64_t, int64_t>> mine; // (stage, table word)
      for (int64_t s = 2 * k; s < std::min(2 * k + 2, stages); ++s) {
        int64_t h = int64_t(1) << s;
        mine.push_back({s, twiddles + int64_t(table.data.size())});
        for (int64_t j = 0; j < h; ++j) {
          double angle = -2.0 * M_PI * double(j) / double(2 * h);
          table.data.push_back(float(std::cos(angle)));
          table.data.push_back(float(std::sin(angle)));
        }
      }
      const int64_t buf = k == 0 ? words : 0;
      std::vector<Instruction> body = {I::mov(O::mem(0), O::in(0), words)};
      if (k == 0)
        body.push_back(I::bitrev(O::mem(buf), O::mem(0), n, true));
      for (size_t q = 0; q < mine.size(); ++q) {
        bool last = q + 1 == mine.size();
        body.push_back(I::bfly(last ? O::out(0) : O::mem(buf), O::mem(buf),
                               O::mem(mine[q].second), n,
                               int64_t(1) << mine[q].first, flag::Complex));
      }
      PeProgram pe;
      pe.row = r;
      pe.col = k;
      pe.instructions.push_back(I::loop(frames, int64_t(body.size())));
      pe.instructions.insert(pe.instructions.end(), body.begin(), body.end());
      pe.memInit.push_back(std::move(table));
      phase.pes.push_back(std::move(pe));
      phase.routes.push_back(
          xyRoute(pePort(r, k, 0),
                  {k + 1 < pesPerBand ? pePort(r, k + 1, 0) : westEdge(r)}));
    }
    phase.routes.push_back(xyRoute(westEdge(r), {pePort(r, 0, 0)}));
    int64_t first = int64_t(phase.dmas.size());
    phase.dmas.push_back(Dma::make(DmaKind::DramToGb, r * total, r * total,
                                 {0, 0}, {{total, 1, 1}}));
    phase.dmas.push_back(Dma::make(DmaKind::GbToEdge, 0, r * total, {r, -1},
                                 {{total, 0, 1}}, {first}));
    phase.dmas.push_back(Dma::make(DmaKind::EdgeToGb, 0, (bands + r) * total,
                                 {r, -1}, {{total, 0, 1}}));
    phase.dmas.push_back(Dma::make(DmaKind::GbToDram, (bands + r) * total,
                                 (bands + r) * total, {0, 0}, {{total, 1, 1}},
                                 {first + 2}));
  }
  p.phases.push_back(std::move(phase));
  return p;
}

Program examples::systolicGemm(const arch::Arch &arch, int64_t M, int64_t N,
                               int64_t K, bool bankAware) {
  const int64_t R = arch.rows, C = arch.cols, L = arch.lanes;
  const int64_t FM = M / R, FN = N / (C * L), folds = FM * FN;
  const int64_t banks = arch.gbBanks;
  // Banks (GB rows) per edge stream in the bank-aware layout.
  const int64_t s = banks / (R + C);
  bankAware = bankAware && s >= 1 && K % (L * s) == 0;

  Program p = newProgram(arch, "systolic_gemm");
  p.dramWords = M * K + K * N + M * N;
  p.inputs = {{"a", ElementKind::F32, {M, K}, 0},
              {"b", ElementKind::F32, {K, N}, M * K}};
  p.outputs = {{"c", ElementKind::F32, {M, N}, M * K + K * N}};
  const int64_t dramB = M * K, dramC = M * K + K * N;

  Phase load;
  load.name = "load";
  std::vector<std::vector<DmaDim>> aStream(R), bStream(C);
  std::vector<int64_t> aBase(R), bBase(C);
  int64_t gbC;
  if (bankAware) {
    // A block is `banks` GB rows (one per bank) of L words. Stream B_j owns
    // rows j*s .. j*s+s-1 of every block and A_i rows (C+i)*s ..: its flit
    // q lands in block q / s, row q % s of its share.
    const int64_t block = banks * L;
    const int64_t blocksB = FN * K / s, blocksA = FM * (K / L) / s;
    const int64_t region = std::max(blocksB, blocksA) * block;
    gbC = region;
    p.buffers = {{"ab_gb", 0, region}, {"c_gb", gbC, M * N}};
    // B element (fn, kb, kr, j, l) = B[kb*s + kr][fn*C*L + j*L + l].
    load.dmas.push_back(Dma::make(DmaKind::DramToGb, dramB, 0, {0, 0},
                                {{FN, C * L, (K / s) * block},
                                 {K / s, s * N, block},
                                 {s, N, L},
                                 {C, L, s * L},
                                 {L, 1, 1}}));
    // A element (fm, i, kfb, kfr, l) = A[fm*R + i][(kfb*s + kfr)*L + l].
    load.dmas.push_back(Dma::make(DmaKind::DramToGb, 0, C * s * L, {0, 0},
                                {{FM, R * K, (K / L / s) * block},
                                 {R, K, s * L},
                                 {K / L / s, s * L, block},
                                 {s, L, L},
                                 {L, 1, 1}}));
    for (int64_t i = 0; i < R; ++i) {
      aBase[i] = (C + i) * s * L;
      aStream[i] = {{FM, 0, (K / L / s) * block},
                    {FN, 0, 0},
                    {K / L / s, 0, block},
                    {s, 0, L},
                    {L, 0, 1}};
    }
    for (int64_t j = 0; j < C; ++j) {
      bBase[j] = j * s * L;
      bStream[j] = {{FM, 0, 0},
                    {FN, 0, (K / s) * block},
                    {K / s, 0, block},
                    {s, 0, L},
                    {L, 0, 1}};
    }
  } else {
    const int64_t gbB = M * K;
    gbC = gbB + K * N;
    p.buffers = {
        {"a_gb", 0, M * K}, {"b_gb", gbB, K * N}, {"c_gb", gbC, M * N}};
    load.dmas.push_back(
        Dma::make(DmaKind::DramToGb, 0, 0, {0, 0}, {{M * K, 1, 1}}));
    load.dmas.push_back(
        Dma::make(DmaKind::DramToGb, dramB, gbB, {0, 0}, {{K * N, 1, 1}}));
    for (int64_t i = 0; i < R; ++i) {
      aBase[i] = i * K;
      aStream[i] = {{FM, 0, R * K}, {FN, 0, 0}, {K, 0, 1}};
    }
    for (int64_t j = 0; j < C; ++j) {
      bBase[j] = gbB + j * L;
      bStream[j] = {{FM, 0, 0}, {FN, 0, C * L}, {K, 0, N}, {L, 0, 1}};
    }
  }

  Phase compute;
  compute.name = "compute";
  for (int64_t i = 0; i < R; ++i) {
    std::vector<Endpoint> rowDsts;
    for (int64_t j = 0; j < C; ++j) {
      PeProgram pe;
      pe.row = i;
      pe.col = j;
      pe.instructions = {
          I::loop(folds, 1),
          I::gemm(O::mem(0, 1, L), O::in(0), O::in(1), 1, L, K, true),
          I::mov(O::out(0), O::mem(0), folds * L)};
      // Drain: PE(i,j) forwards what comes from the east after its own.
      if (j + 1 < C)
        pe.instructions.push_back(
            I::mov(O::out(0), O::in(2), folds * L * (C - 1 - j)));
      compute.pes.push_back(std::move(pe));
      rowDsts.push_back(pePort(i, j, 0));
      compute.routes.push_back(
          xyRoute(pePort(i, j, 0), {j ? pePort(i, j - 1, 2) : westEdge(i)}));
    }
    compute.routes.push_back(xyRoute(westEdge(i), rowDsts));
    compute.dmas.push_back(
        Dma::make(DmaKind::GbToEdge, 0, aBase[i], {i, -1}, aStream[i]));
    // Row i receives PE(i,0)'s folds, then PE(i,1)'s, ...
    compute.dmas.push_back(
        Dma::make(DmaKind::EdgeToGb, 0, gbC + i * N, {i, -1},
                {{C, 0, L}, {FM, 0, R * N}, {FN, 0, C * L}, {L, 0, 1}}));
  }
  for (int64_t j = 0; j < C; ++j) {
    std::vector<Endpoint> colDsts;
    for (int64_t i = 0; i < R; ++i)
      colDsts.push_back(pePort(i, j, 1));
    compute.routes.push_back(xyRoute(northEdge(j), colDsts));
    compute.dmas.push_back(
        Dma::make(DmaKind::GbToEdge, 0, bBase[j], {-1, j}, bStream[j]));
  }

  Phase store;
  store.name = "store";
  store.dmas.push_back(
      Dma::make(DmaKind::GbToDram, dramC, gbC, {0, 0}, {{M * N, 1, 1}}));
  p.phases = {std::move(load), std::move(compute), std::move(store)};
  return p;
}
