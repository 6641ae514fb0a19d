//===- PhaseCost.cpp - Predicted cycles of a mapped program ---------------===//
//
// Each PE's instruction list is read as a tree of hardware loops and timed
// with the rules of docs/architecture.md §4 (B·f + λ per instruction, the
// bank factor f at the first iteration's addresses, one cycle per loop
// issue). The streaming loop, whose iterations are the PE's units, is the
// deepest loop that reads an in-port directly: a row, or a row of a group.
//
//===----------------------------------------------------------------------===//

#include "PhaseCost.h"

#include <algorithm>
#include <map>
#include <utility>

using namespace butterfly;
using namespace butterfly::phasecost;
using bitstream::Instruction;
using bitstream::Opcode;

namespace {

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

/// An instruction, or a hardware loop with its body.
struct Item {
  const Instruction *inst = nullptr;
  /// One execution of the instruction: beats·factor + latency (a loop: its
  /// issue cycle).
  double cycles = 0;
  int64_t factor = 1, latency = 0;
  int64_t count = 1; ///< loop iterations
  std::vector<Item> body;

  bool isLoop() const { return inst->op == Opcode::Loop; }
  /// Cycles of one execution, the body's iterations included.
  double total() const {
    double cycles = this->cycles;
    if (isLoop())
      for (const Item &item : body)
        cycles += double(count) * item.total();
    return cycles;
  }
  bool readsPort() const {
    return !isLoop() && (inst->a.isPort() || inst->b.isPort());
  }
  bool writesPort() const { return !isLoop() && inst->dst.isPort(); }
  /// The in-port this instruction reads (the first one), or -1.
  int64_t inPort() const {
    if (isLoop())
      return -1;
    if (inst->a.isPort())
      return inst->a.base;
    return inst->b.isPort() ? inst->b.base : -1;
  }
};

/// docs/architecture.md §4: the most streamed local-memory sources in one
/// bank; a vfma or gemm destination is read too.
int64_t bankFactor(const Instruction &inst, const arch::Arch &arch) {
  int64_t bankWords = arch.localMemBankWords();
  llvm::SmallVector<int64_t, 3> banks;
  for (const bitstream::Operand *operand : {&inst.a, &inst.b})
    if (operand->isMem() && operand->stride != 0)
      banks.push_back(operand->base / bankWords);
  if ((inst.op == Opcode::VFma || inst.op == Opcode::Gemm) && inst.dst.isMem())
    banks.push_back(inst.dst.base / bankWords);
  int64_t factor = 1;
  for (int64_t bank : banks)
    factor = std::max<int64_t>(factor, llvm::count(banks, bank));
  return factor;
}

Item timed(const Instruction &inst, const arch::Arch &arch) {
  Item item;
  item.inst = &inst;
  switch (inst.op) {
  case Opcode::Halt:
    break;
  case Opcode::Nop:
  case Opcode::Barrier:
  case Opcode::Loop:
    item.cycles = 1;
    break;
  default:
    item.factor = bankFactor(inst, arch);
    item.latency = bitstream::latencyCycles(inst, arch);
    item.cycles = double(bitstream::beatCount(inst, arch.lanes) * item.factor +
                         item.latency);
    break;
  }
  if (inst.op == Opcode::Loop)
    item.count = inst.p0;
  return item;
}

} // namespace

double phasecost::instructionCycles(const Instruction &inst,
                                    const arch::Arch &arch) {
  return timed(inst, arch).cycles;
}

namespace {

/// Instructions [begin, end) as items; a loop takes its next p1.
std::vector<Item> parse(llvm::ArrayRef<Instruction> insts, size_t begin,
                        size_t end, const arch::Arch &arch) {
  std::vector<Item> items;
  for (size_t i = begin; i < end; ++i) {
    Item item = timed(insts[i], arch);
    if (item.isLoop()) {
      size_t bodyEnd = std::min(end, i + 1 + size_t(insts[i].p1));
      item.body = parse(insts, i + 1, bodyEnd, arch);
      i = bodyEnd - 1;
    }
    items.push_back(std::move(item));
  }
  return items;
}

/// The path (item indices, outermost first) to the deepest loop whose body
/// reads an in-port directly; the first such at that depth.
void findUnitLoop(const std::vector<Item> &items,
                  llvm::SmallVectorImpl<size_t> &path,
                  llvm::SmallVectorImpl<size_t> &best) {
  for (size_t i = 0; i < items.size(); ++i) {
    const Item &item = items[i];
    if (!item.isLoop())
      continue;
    path.push_back(i);
    if (path.size() > best.size() &&
        llvm::any_of(item.body, [](const Item &x) { return x.readsPort(); }))
      best.assign(path.begin(), path.end());
    findUnitLoop(item.body, path, best);
    path.pop_back();
  }
}

/// Flits each out-port of a PE sends over the phase.
void countOutFlits(const std::vector<Item> &items, int64_t times, int64_t lanes,
                   std::array<int64_t, bitstream::kNumPorts> &out) {
  for (const Item &item : items) {
    if (item.isLoop()) {
      countOutFlits(item.body, times * item.count, lanes, out);
      continue;
    }
    if (!item.writesPort())
      continue;
    const Instruction &inst = *item.inst;
    int64_t flits = ceilDiv(bitstream::operandWords(inst, 0), lanes);
    for (int port = 0; port < bitstream::kNumPorts; ++port)
      if (inst.dst.base & (int64_t(1) << port))
        out[port] += times * flits;
  }
}

/// One PE's work, and the in-port its units read (-1: none).
std::pair<cost::PeWork, int64_t> summarisePe(const std::vector<Item> &items) {
  cost::PeWork work;
  double all = 0;
  for (const Item &item : items)
    all += item.total();

  llvm::SmallVector<size_t, 4> path, unitPath;
  findUnitLoop(items, path, unitPath);
  // Walk to the first unit: everything before the path's items, and each
  // loop's issue on the way in.
  llvm::ArrayRef<Item> body = items;
  work.units = 1;
  for (size_t index : unitPath) {
    for (size_t i = 0; i < index; ++i)
      work.prologueCycles += body[i].total();
    const Item &loop = body[index];
    work.prologueCycles += loop.cycles;
    work.units *= loop.count;
    body = loop.body;
  }
  // A unit's input is the port its loop reads first. Without a streaming
  // loop the program is one unit, reading the port of its last receive; what
  // comes before the first read of that port is the prologue.
  int64_t unitPort = -1;
  for (const Item &item : body)
    if (item.readsPort() && (unitPort < 0 || unitPath.empty()))
      unitPort = item.inPort();
  if (unitPath.empty()) {
    while (!body.empty() &&
           (unitPort < 0 || body.front().inPort() != unitPort)) {
      work.prologueCycles += body.front().total();
      body = body.drop_front();
    }
  }
  work.unitCycles = (all - work.prologueCycles) / double(work.units);

  // Offsets within one unit. lastRead: where the last instruction reading
  // the unit's port ends, and its f + λ (its last beat is that long before).
  double offset = 0, lastRead = -1, lastReadTail = 0, lastWrite = -1;
  work.firstOutputCycles = -1;
  for (const Item &item : body) {
    if (unitPort >= 0 && item.inPort() == unitPort) {
      work.receiveCycles += item.total();
      lastRead = offset + item.total();
      lastReadTail = double(item.factor + item.latency);
    }
    if (item.writesPort()) {
      if (work.firstOutputCycles < 0)
        work.firstOutputCycles =
            offset + double(item.factor - 1 + item.latency);
      lastWrite = offset + item.total();
    }
    offset += item.total();
  }
  if (work.firstOutputCycles < 0)
    work.firstOutputCycles = offset;
  // The flit of a unit's last beat is visible one cycle before the
  // instruction ends (f − 1 + λ after the beat, which ends f + λ before).
  work.outputTailCycles = lastWrite < 0 ? 1 : offset - lastWrite + 1;
  work.inputTailCycles =
      lastRead < 0 ? offset : offset - lastRead + lastReadTail;
  return {work, unitPort};
}

/// The global-buffer side of an edge node's stream: its DMAs' flits, the
/// rows they access per bank in windows of gb_banks flits, and the cycles
/// the DMAs hold per flit (docs/architecture.md §6), from walking every
/// element. DMAs on one edge run one after another.
struct EdgeTraffic {
  std::vector<cost::BankWindows> windows;
  int64_t flits = 0;
  double holdCycles = 0;
  /// The bank of its first row, the index of its first DMA and the DRAM
  /// transfer that DMA waits for (-1: none).
  int64_t firstBank = -1;
  size_t firstDma = 0;
  int64_t afterDram = -1;
};

/// Appends one window, merging it into the last run when alike.
void appendWindow(std::vector<cost::BankWindows> &windows,
                  cost::BankWindows window) {
  if (!windows.empty() && windows.back() == window)
    windows.back().count += window.count;
  else
    windows.push_back(std::move(window));
}

void walkDma(const bitstream::Dma &dma, const arch::Arch &arch,
             EdgeTraffic &traffic) {
  int64_t lanes = arch.lanes, banks = arch.gbBanks;
  size_t rank = dma.dims.size();
  int64_t total = 1;
  for (const bitstream::DmaDim &dim : dma.dims)
    total *= dim.size;
  // A contiguous run from a flit boundary (a staging slot): flit k is row
  // r0 + k, so every full window touches each bank once; no need to walk
  // the elements of a program's million staged pieces.
  if (rank == 1 && dma.dims[0].gbStride == 1 && dma.gbAddr % lanes == 0) {
    int64_t flits = (total + lanes - 1) / lanes, firstRow = dma.gbAddr / lanes;
    if (flits == 0)
      return;
    if (traffic.firstBank < 0)
      traffic.firstBank = firstRow % banks;
    traffic.holdCycles += double(flits);
    traffic.flits += flits;
    if (flits >= banks) {
      cost::BankWindows full;
      full.count = flits / banks;
      full.flits = banks;
      full.rows.assign(size_t(banks), 1.0);
      appendWindow(traffic.windows, std::move(full));
    }
    if (int64_t rest = flits % banks) {
      cost::BankWindows last;
      last.flits = rest;
      last.rows.assign(size_t(banks), 0.0);
      for (int64_t k = flits - rest; k < flits; ++k)
        last.rows[size_t((firstRow + k) % banks)] += 1;
      appendWindow(traffic.windows, std::move(last));
    }
    return;
  }
  std::vector<int64_t> index(rank, 0);
  llvm::SmallVector<int64_t, 16> rows;
  cost::BankWindows window;
  window.rows.assign(size_t(banks), 0.0);
  int64_t addr = dma.gbAddr;
  if (traffic.firstBank < 0 && total > 0)
    traffic.firstBank = addr / lanes % banks;
  for (int64_t element = 0; element < total; ++element) {
    rows.push_back(addr / lanes);
    if (int64_t(rows.size()) == lanes || element + 1 == total) {
      // One flit: each distinct row costs its bank a cycle.
      llvm::sort(rows);
      rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
      llvm::SmallVector<int64_t, 16> perBank(size_t(banks), 0);
      int64_t hold = 1;
      for (int64_t row : rows) {
        hold = std::max(hold, ++perBank[size_t(row % banks)]);
        window.rows[size_t(row % banks)] += 1;
      }
      traffic.holdCycles += double(hold);
      ++traffic.flits;
      rows.clear();
      if (++window.flits == banks || element + 1 == total) {
        appendWindow(traffic.windows, window);
        window.flits = 0;
        window.rows.assign(size_t(banks), 0.0);
      }
    }
    // Next element, innermost dimension fastest.
    for (size_t dim = rank; dim-- > 0;) {
      addr += dma.dims[dim].gbStride;
      if (++index[dim] < dma.dims[dim].size)
        break;
      addr -= dma.dims[dim].gbStride * dma.dims[dim].size;
      index[dim] = 0;
    }
  }
}

/// Window-wise sum of two edges' windows (a route to several edges).
std::vector<cost::BankWindows>
addWindows(const std::vector<cost::BankWindows> &a,
           const std::vector<cost::BankWindows> &b) {
  std::vector<cost::BankWindows> sum;
  size_t i = 0, j = 0;
  int64_t leftA = a.empty() ? 0 : a[0].count,
          leftB = b.empty() ? 0 : b[0].count;
  while (i < a.size() || j < b.size()) {
    cost::BankWindows window;
    window.count = i == a.size()   ? leftB
                   : j == b.size() ? leftA
                                   : std::min(leftA, leftB);
    for (auto [runs, at, left] :
         {std::tie(a, i, leftA), std::tie(b, j, leftB)}) {
      if (at == runs.size())
        continue;
      window.flits = std::max(window.flits, runs[at].flits);
      window.rows.resize(runs[at].rows.size(), 0.0);
      for (size_t bank = 0; bank < runs[at].rows.size(); ++bank)
        window.rows[bank] += runs[at].rows[bank];
      if ((left -= window.count) == 0 && ++at < runs.size())
        left = runs[at].count;
    }
    appendWindow(sum, std::move(window));
  }
  return sum;
}

} // namespace

cost::MappedPhase butterfly::phasecost::summarise(const bitstream::Phase &phase,
                                                  const arch::Arch &arch) {
  cost::MappedPhase mapped;
  mapped.name = phase.name;
  mapped.configBytes = double(bitstream::configBytes(phase));

  std::map<std::pair<int64_t, int64_t>, int64_t> index;
  std::vector<int64_t> unitPort;
  std::vector<std::array<int64_t, bitstream::kNumPorts>> outFlits;
  for (const bitstream::PeProgram &pe : phase.pes) {
    std::vector<Item> items =
        parse(pe.instructions, 0, pe.instructions.size(), arch);
    auto [work, port] = summarisePe(items);
    work.row = pe.row;
    work.col = pe.col;
    index[{pe.row, pe.col}] = int64_t(mapped.pes.size());
    mapped.pes.push_back(work);
    unitPort.push_back(port);
    outFlits.emplace_back();
    outFlits.back().fill(0);
    countOutFlits(items, 1, arch.lanes, outFlits.back());
  }
  auto peIndex = [&](const bitstream::Node &node) {
    auto found = index.find({node.row, node.col});
    return node.row < 0 || node.col < 0 || found == index.end() ? cost::kEdge
                                                                : found->second;
  };

  // DRAM transfers share one channel; a transfer that waits for another
  // pays the latency again.
  auto isDram = [](const bitstream::Dma &dma) {
    return dma.kind == bitstream::DmaKind::DramToGb ||
           dma.kind == bitstream::DmaKind::GbToDram;
  };
  std::vector<int64_t> transfer(phase.dmas.size(), -1),
      chain(phase.dmas.size(), 0), flitsAfter(phase.dmas.size(), 0);
  std::map<std::pair<int64_t, int64_t>, EdgeTraffic> toArray, fromArray;
  // A DRAM transfer waiting for an edge DMA: which edge, and its flits up to
  // that DMA.
  struct Awaited {
    size_t transfer;
    bool toArray;
    std::pair<int64_t, int64_t> edge;
    int64_t flits;
  };
  std::vector<Awaited> awaited;
  for (size_t i = 0; i < phase.dmas.size(); ++i) {
    const bitstream::Dma &dma = phase.dmas[i];
    int64_t waitsForDram = -1, waitsForEdge = -1;
    for (int64_t before : dma.waitFor)
      if (before >= 0 && size_t(before) < i) {
        chain[i] = std::max(chain[i], chain[before]);
        waitsForDram = std::max(waitsForDram, transfer[before]);
        if (transfer[before] < 0 &&
            (waitsForEdge < 0 || flitsAfter[before] > flitsAfter[waitsForEdge]))
          waitsForEdge = before;
      }
    int64_t words = 1;
    for (const bitstream::DmaDim &dim : dma.dims)
      words *= dim.size;
    if (isDram(dma)) {
      transfer[i] = int64_t(mapped.dram.size());
      mapped.dram.push_back({4.0 * double(words), !dma.waitFor.empty()});
      mapped.dramChain = std::max(mapped.dramChain, ++chain[i]);
      if (waitsForEdge >= 0) {
        const bitstream::Dma &edge = phase.dmas[size_t(waitsForEdge)];
        awaited.push_back({size_t(transfer[i]),
                           edge.kind == bitstream::DmaKind::GbToEdge,
                           {edge.edge.row, edge.edge.col},
                           flitsAfter[size_t(waitsForEdge)]});
      }
      continue;
    }
    auto &edges =
        dma.kind == bitstream::DmaKind::GbToEdge ? toArray : fromArray;
    auto [traffic, first] = edges.try_emplace({dma.edge.row, dma.edge.col});
    if (first) {
      traffic->second.firstDma = i;
      traffic->second.afterDram = waitsForDram;
    }
    walkDma(dma, arch, traffic->second);
    flitsAfter[i] = traffic->second.flits;
  }
  // A stream's global-buffer side: the DMAs of its edge source or sinks.
  auto addTraffic = [](cost::MappedStream &stream, const EdgeTraffic &traffic) {
    if (traffic.flits == 0)
      return;
    stream.bankWindows = addWindows(stream.bankWindows, traffic.windows);
    if (stream.firstBank < 0)
      stream.firstBank = traffic.firstBank;
    stream.cyclesPerFlit = std::max(stream.cyclesPerFlit,
                                    traffic.holdCycles / double(traffic.flits));
  };

  // Streams from the global buffer in the order of their first DMA, the
  // others after them.
  std::vector<std::pair<std::pair<size_t, size_t>, cost::MappedStream>> streams;
  for (const bitstream::Route &route : phase.routes) {
    cost::MappedStream stream;
    size_t order = phase.dmas.size();
    stream.source = peIndex(route.src.node);
    if (stream.source == cost::kEdge) {
      const EdgeTraffic &traffic =
          toArray[{route.src.node.row, route.src.node.col}];
      stream.flits = traffic.flits;
      order = traffic.firstDma;
      stream.afterDram = traffic.afterDram;
      addTraffic(stream, traffic);
    } else {
      stream.flits = outFlits[stream.source][route.src.port];
    }
    // The links form a tree rooted at the source: a destination's hops are
    // its depth (a route inside one PE counts 1).
    std::map<std::pair<int64_t, int64_t>, bitstream::Node> parent;
    for (const bitstream::Link &link : route.links)
      parent[{link.to.row, link.to.col}] = link.from;
    for (const bitstream::Endpoint &dst : route.dsts) {
      cost::MappedStream::Sink sink;
      sink.pe = peIndex(dst.node);
      if (sink.pe == cost::kEdge)
        addTraffic(stream, fromArray[{dst.node.row, dst.node.col}]);
      sink.paced = sink.pe != cost::kEdge && dst.port == unitPort[sink.pe];
      int64_t hops = 0;
      for (bitstream::Node node = dst.node; node != route.src.node; ++hops) {
        auto up = parent.find({node.row, node.col});
        if (up == parent.end())
          break;
        node = up->second;
      }
      sink.hops = std::max<int64_t>(hops, 1);
      stream.sinks.push_back(sink);
    }
    streams.push_back(
        {{order, size_t(&route - phase.routes.data())}, std::move(stream)});
  }
  llvm::sort(streams,
             [](const auto &a, const auto &b) { return a.first < b.first; });
  std::map<std::pair<int64_t, int64_t>, int64_t> fromEdge, toEdge;
  for (auto &[order, stream] : streams) {
    int64_t index = int64_t(mapped.streams.size());
    mapped.streams.push_back(std::move(stream));
    const bitstream::Route &route = phase.routes[order.second];
    if (route.src.node.row < 0 || route.src.node.col < 0)
      fromEdge[{route.src.node.row, route.src.node.col}] = index;
    for (const bitstream::Endpoint &dst : route.dsts)
      if (dst.node.row < 0 || dst.node.col < 0)
        toEdge[{dst.node.row, dst.node.col}] = index;
  }
  for (const Awaited &wait : awaited) {
    auto &streamOf = wait.toArray ? fromEdge : toEdge;
    auto &traffic = wait.toArray ? toArray : fromArray;
    auto found = streamOf.find(wait.edge);
    if (found == streamOf.end())
      continue;
    cost::DramTransfer &t = mapped.dram[wait.transfer];
    t.stream = found->second;
    t.fraction = double(wait.flits) / double(traffic[wait.edge].flits);
  }
  return mapped;
}

ProgramPrediction
butterfly::phasecost::predictCycles(const bitstream::Program &program,
                                    const arch::Arch &arch) {
  ProgramPrediction prediction;
  for (const bitstream::Phase &phase : program.phases) {
    cost::PhaseEstimate estimate =
        cost::estimatePhase(arch, summarise(phase, arch));
    prediction.cycles += estimate.cycles;
    prediction.configCycles += estimate.configCycles;
    prediction.executionCycles += estimate.executionCycles;
    prediction.phases.push_back(estimate);
  }
  return prediction;
}
