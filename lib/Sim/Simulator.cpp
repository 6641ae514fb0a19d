//===- Simulator.cpp - Cycle-level simulator of the dataflow array --------===//
//
// One Machine runs the phases of a verified Program. Every cycle has three
// stages, in this order: routes inject flits, PEs issue or execute a beat,
// DMAs move data. Within a stage no unit sees another unit's effect of the
// same cycle (a flit pushed in cycle t is available at t+1 at the earliest,
// a credit freed in cycle t is used at t+1), so the order of units within a
// stage does not matter and the result is deterministic.
//
// Speed: instructions without port operands are executed at issue and the PE
// sleeps until they complete; a PE stalled on a port sleeps until the push
// or pop that unblocks it; a cycle in which nothing changes jumps to the next
// timed event (an instruction completing, a flit becoming visible, a DRAM
// transfer landing); a flit the route would inject in the very next cycle is
// written straight into its destination (streamBeat); a streaming PE runs
// ahead through the beats of later cycles whose outcome is already certain,
// every effect stamped with its cycle (streamBeat); only routes with a flit
// to move are visited. None of this changes the timing: it only skips work
// whose outcome is already known. The inner loop works on flat arrays,
// allocates nothing and makes no indirect call per beat: the common
// streaming shapes on 4 lanes have their own loop (streamLanes).
//
//===----------------------------------------------------------------------===//

#include "butterfly/Sim/Simulator.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>

using namespace butterfly;
using namespace butterfly::bitstream;
using namespace butterfly::sim;
using llvm::Twine;

namespace {

constexpr int64_t kNever = std::numeric_limits<int64_t>::max();

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

llvm::Error makeError(const Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

//===----------------------------------------------------------------------===//
// Decoded program
//===----------------------------------------------------------------------===//

/// An operand with everything the hot loop needs precomputed, packed so that
/// an instruction's operands share few cache lines.
struct DOp {
  OperandKind kind = OperandKind::None;
  uint8_t mask = 0; ///< destination out-port mask
  int8_t port = -1; ///< source in-port
  int32_t base = 0, stride = 0, inc0 = 0, inc1 = 0;
  float imm = 0;
  int64_t period = 1; ///< beats per flit of a port operand
  int64_t words = 0;
};

/// dst[e] = f(dst[e], a[e], b[e]) for e < count, over strided operands.
using EwKernel = void (*)(float *dst, int64_t ds, const float *a, int64_t as,
                          const float *b, int64_t bs, int64_t count);
EwKernel kernelFor(Opcode op);

struct DInstr {
  EwKernel kernel = nullptr; ///< elementwise ops
  Opcode op = Opcode::Nop;
  uint8_t flags = 0;
  bool hasPorts = false;
  bool arithmetic = false;  ///< counts towards utilization
  bool readsDst = false;    ///< vfma / gemm read their destination
  bool elementwise = false; ///< mov and the v* ops
  bool singleOut = false;   ///< the destination is exactly one out-port
  int32_t latency = 0;
  int64_t n = 0, p0 = 0, p1 = 0;
  int64_t beats = 0;
  DOp a, b, dst;
  // Used once per issue.
  int64_t flops = 0, laneOps = 0, lmAccesses = 0;
};

/// A ring-buffer FIFO of flits; slots live in Machine::slots. The ring has
/// a power-of-two number of slots (at least the capacity) indexed by three
/// running counters: flits pushed, popped, and popped slots whose credit is
/// returned (released). `count()` includes flits still travelling on the
/// route (credit is taken at injection); a flit is visible to its consumer
/// from its slot's time on. The capacity is also the producer's credit
/// limit: fifo_depth for out-FIFOs, fifo_depth + hops for the FIFO at a
/// route's end.
///
/// A PE pops its in-FIFOs with the cycle of the pop (fifoPopAt), which may
/// lie ahead of the cycle being stepped (see streamBeat): the slot keeps its
/// credit, `held()`, with the pop cycle in its header, until a producer
/// checks credit in a later cycle (fifoCredit).
struct Fifo {
  float *base = nullptr; ///< slot 0 in Machine::slots
  uint32_t pushed = 0, popped = 0, released = 0;
  uint32_t mask = 0;  ///< slots - 1
  int32_t stride = 0; ///< floats per slot
  int32_t cap = 0;
  /// A PE sleeping until the next push (it waits for data) or pop (it waits
  /// for credit), or -1. Stalled PEs are woken, not polled.
  int32_t pushWaiter = -1, popWaiter = -1;
  /// For the out-FIFO of a point-to-point route: the destination FIFO, its
  /// latency and the route's links (see streamBeat), else -1.
  int32_t routeDst = -1, routeLatency = 0, routeLinks = 0;
  /// The route this FIFO is the source of, or -1.
  int32_t srcRoute = -1;
  /// Whether that route is in Machine::busyRoutes.
  bool routeBusy = false;
  /// The last cycle a flit left this FIFO through its route (a route moves
  /// one flit a cycle).
  int64_t lastInject = std::numeric_limits<int64_t>::min() / 2;

  int32_t count() const { return int32_t(pushed - popped); }
  int32_t held() const { return int32_t(popped - released); }
  float *slot(uint32_t i) const { return base + int64_t(i & mask) * stride; }
};

/// Slots are kSlotHeader floats holding the cycle from which the flit is
/// visible (an int64, copied in and out bytewise), then the flit's lanes;
/// a popped slot whose credit is held holds its pop cycle instead. Keeping
/// both together halves the cache misses of a readiness check.
constexpr int64_t kSlotHeader = 2;

inline int64_t fifoSlotTime(const float *slot) {
  int64_t t;
  std::memcpy(&t, slot, sizeof(t));
  return t;
}

/// Whether the head flit of \p q is visible in cycle \p now.
inline bool fifoReady(const Fifo &q, int64_t now) {
  return q.pushed != q.popped && fifoSlotTime(q.slot(q.popped)) <= now;
}

/// The cycle from which the head flit of non-empty \p q is visible.
inline int64_t fifoHeadTime(const Fifo &q) {
  return fifoSlotTime(q.slot(q.popped));
}

inline float *fifoHead(const Fifo &q) { return q.slot(q.popped) + kSlotHeader; }

/// Pushes a flit into \p q, visible from cycle \p availAt, waking the PE
/// that waits for it; returns the flit's lanes.
inline float *fifoPush(Fifo &q, int64_t availAt, int64_t *wakes) {
  if (q.pushWaiter >= 0) {
    int64_t &w = wakes[q.pushWaiter];
    w = std::min(w, availAt);
    q.pushWaiter = -1;
  }
  float *p = q.slot(q.pushed++);
  std::memcpy(p, &availAt, sizeof(availAt));
  return p + kSlotHeader;
}

/// A PE's pop of its in-FIFO \p q in cycle \p t: the flit is gone, its
/// credit returns to the producer from cycle t + 1 (fifoCredit). In-FIFOs
/// have no pop waiters (only out-FIFOs wait for credit).
inline void fifoPopAt(Fifo &q, int64_t t) {
  std::memcpy(q.slot(q.popped++), &t, sizeof(t));
}

/// Whether a producer may push into \p q in cycle \p now: a slot is free,
/// or the oldest held one was popped before cycle \p now and returns its
/// credit. (Held slots are returned one at a time, when a push needs one.)
inline bool fifoCredit(Fifo &q, int64_t now) {
  if (int32_t(q.pushed - q.released) < q.cap)
    return true;
  if (q.released == q.popped || fifoSlotTime(q.slot(q.released)) >= now)
    return false;
  ++q.released;
  return true;
}

class Machine;

enum class PeState : uint8_t { Issue, Exec, Sleep, Barrier, Halted };
enum class Wait : uint8_t { None, DataA, DataB, Credit };

/// Bits of the `shape` of a streaming instruction: which of a, b and dst
/// are ports, and whether it needs the general streamBeat.
constexpr unsigned kPortA = 1, kPortB = 2, kPortD = 4, kGeneral = 8;

struct LoopFrame {
  int64_t start = 0, end = 0, count = 0, iter = 0;
};

struct Pe;
using BeatFn = bool (*)(Machine &, Pe &, int64_t);

struct Pe {
  // The first two cache lines hold everything a streaming beat touches (see
  // streamBeat); fields there are copied from the instruction at issue. The
  // cycle a PE is next stepped in is Machine::wakes[index].
  PeState state = PeState::Halted;
  Wait wait = Wait::None;
  bool singleOut = false, arithmetic = false;
  /// Every full beat reads and writes whole unit-stride lane groups (see
  /// streamBeat), from lanesA / lanesB + e0 * advA / advB.
  bool unitLanes = false;
  int32_t waitPort = 0;
  BeatFn beatFn = nullptr;
  Fifo *qA = nullptr, *qB = nullptr, *qD = nullptr; ///< null: not a port
  /// The FIFO at the end of qD's point-to-point route when a flit pushed
  /// into qD would be visible the next cycle, else null (see streamBeat).
  Fifo *direct = nullptr;
  int64_t beat = 0, n = 0, beats = 0, latency = 0, factor = 1;
  const float *ptrA = nullptr, *ptrB = nullptr; ///< element 0 of a non-port
  float *ptrD = nullptr;
  int64_t stepA = 0, stepB = 0, stepD = 0;
  const float *lanesA = nullptr, *lanesB = nullptr;
  int64_t advA = 0, advB = 0;
  int64_t busy = 0;
  int64_t index = 0;
  /// The PE's position in its phase's list of PEs.
  int64_t slot = 0;
  const DInstr *cur = nullptr; ///< the instruction in flight
  // The rest: the general beat path, issue and bookkeeping.
  int64_t nextA = 0, nextB = 0, nextD = 0;
  int64_t baseD = 0, baseA = 0, baseB = 0;
  const float *srcA = nullptr, *srcB = nullptr; // snapshots, or null
  int64_t row = 0, col = 0;
  int64_t finish = 0, issued = 0;
  int64_t issueAt = 0;
  int64_t gi = 0, gk = 0, gnf = 0;
  int64_t pc = 0;
  int depth = 0;
  LoopFrame loops[kMaxLoopDepth];
  std::vector<DInstr> code;
  /// The instructions code[] was decoded from (for their assembly in traces
  /// and messages).
  const std::vector<Instruction> *insts = nullptr;
  /// lanes-float buffers in Machine::laneBuffers: a held a-flit, the flit
  /// being assembled for output, reduction partials, the broadcast lanes of
  /// constant a and b operands.
  float *flitA = nullptr, *outFlit = nullptr, *partial = nullptr;
  float *bcastA = nullptr, *bcastB = nullptr;
  std::vector<float> snapA, snapB, outBuf;
};

struct RouteRt {
  int64_t srcFifo = 0;
  int64_t firstDst = 0, numDsts = 0; ///< into Machine::routeDsts
  int64_t links = 0;
};

struct RouteDst {
  int64_t fifo = 0, latency = 1;
};

enum class DmaState : uint8_t { Waiting, Active, Done };

struct DmaRt {
  const Dma *desc = nullptr;
  DmaState state = DmaState::Waiting;
  int64_t start = 0, finish = 0;
  int64_t total = 0, moved = 0;
  int64_t fifo = -1;         ///< edge FIFO for the edge kinds
  int64_t prevSameEdge = -1; ///< the previous DMA on the same edge FIFO
  int64_t idx[kMaxDmaDims] = {};
  int64_t gbAddr = 0, dramAddr = 0;
  int64_t wake = 0; ///< an edge DMA transfers again from this cycle
};

//===----------------------------------------------------------------------===//
// Machine
//===----------------------------------------------------------------------===//

class Machine {
public:
  Machine(const Program &program, const arch::Arch &arch,
          const SimOptions &options)
      : program(program), arch(arch), options(options), L(arch.lanes),
        depth(arch.fifoDepth), rows(arch.rows), cols(arch.cols),
        numPEs(arch.rows * arch.cols), lmWords(arch.localMemBytes / 4),
        bankWords(arch.localMemBankWords()) {}

  llvm::Expected<SimResult> run(llvm::ArrayRef<Tensor> inputs);

private:
  const Program &program;
  const arch::Arch &arch;
  const SimOptions &options;
  const int64_t L, depth, rows, cols, numPEs, lmWords, bankWords;

  std::vector<float> dram, gb, lm;
  std::vector<Pe> pes;
  /// Per PE: the cycle it is next stepped in (kNever while it halted, waits
  /// at a barrier or waits to be woken by a push or pop). Kept apart from
  /// Pe so that the per-cycle scan reads one small array.
  std::vector<int64_t> wakes;
  std::vector<int64_t> active; ///< indices of PEs running in this phase
  int64_t running = 0, atBarrier = 0, dmasPending = 0;

  std::vector<Fifo> fifos;
  std::vector<int64_t> fifoUsed; ///< FIFOs touched in this phase
  /// FIFO slots (see kSlotHeader).
  std::vector<float> slots;
  int64_t slotStride = 0;
  std::vector<RouteRt> routes;
  std::vector<RouteDst> routeDsts;
  /// Routes whose source FIFO holds a flit; the others have nothing to do.
  std::vector<int32_t> busyRoutes;
  std::vector<DmaRt> dmas;
  /// The DMAs waiting to start and those started but not finished, each in
  /// index order (the order of bank priority). A phase may hold thousands
  /// of staged DMAs, mostly waiting; a waiting one can only start after
  /// another finishes (visible the cycle after), so the waiting ones are
  /// examined only then.
  std::vector<int32_t> waitingDmas, activeDmas;
  bool dmaFinished = true;
  std::vector<int64_t> bankBusyUntil;
  std::vector<float> scratch;
  std::vector<float> laneBuffers;
  double channelFree = 0;
  int64_t dramLatency = 0;
  double dramBytesPerCycle = 0;

  int64_t phaseIndex = 0, phaseBase = 0;
  int64_t curNow = 0; ///< the cycle being stepped
  bool progress = false;

  SimResult result;
  int64_t laneOps = 0, lmAccesses = 0, gbFlits = 0, busyTotal = 0;
  int64_t phaseFlops = 0, phaseBusy = 0;

  // FIFO ids.
  int64_t inFifo(int64_t pe, int64_t p) const { return pe * 8 + p; }
  int64_t outFifo(int64_t pe, int64_t p) const { return pe * 8 + 4 + p; }
  int64_t edgeFifo(const Node &n, bool sink) const {
    int64_t base = numPEs * 8;
    int64_t i = n.col == -1 ? n.row : rows + n.col;
    return base + 2 * i + (sink ? 1 : 0);
  }
  int64_t numFifos() const { return numPEs * 8 + 2 * (rows + cols); }

  static int64_t slotTime(const float *slot) { return fifoSlotTime(slot); }
  static bool canPop(const Fifo &q, int64_t now) { return fifoReady(q, now); }
  static float *headData(const Fifo &q) { return fifoHead(q); }
  /// A route's or DMA's pop (they pop FIFOs that PEs never pop): the credit
  /// is usable in this very cycle.
  void pop(Fifo &q) {
    q.released = ++q.popped;
    if (q.popWaiter >= 0) {
      wakes[q.popWaiter] = curNow;
      q.popWaiter = -1;
    }
  }
  void popAt(Fifo &q, int64_t t) { fifoPopAt(q, t); }
  bool hasCredit(Fifo &q, int64_t now) const { return fifoCredit(q, now); }
  /// Flits and held slots of \p q in cycle \p now (for messages).
  int64_t occupancy(const Fifo &q, int64_t now) const {
    int64_t held = 0;
    for (uint32_t i = q.released; i != q.popped; ++i)
      held += slotTime(q.slot(i)) >= now;
    return q.count() + held;
  }
  /// Pushes a flit into \p q, visible from cycle \p availAt; returns its
  /// lanes. A route end (\p RouteEnd) is never a route's source.
  template <bool RouteEnd = false> float *push(Fifo &q, int64_t availAt) {
    if (!RouteEnd && !q.routeBusy && q.srcRoute >= 0) {
      q.routeBusy = true;
      busyRoutes.push_back(q.srcRoute);
    }
    return fifoPush(q, availAt, wakes.data());
  }
  bool canPop(int64_t f, int64_t now) const { return canPop(fifos[f], now); }
  float *headData(int64_t f) { return headData(fifos[f]); }
  void pop(int64_t f) { pop(fifos[f]); }
  float *push(int64_t f, int64_t availAt) { return push(fifos[f], availAt); }
  void copyFlit(float *dst, const float *src) const {
    if (L == 4) { // the default arch: one 16-byte move
      std::memcpy(dst, src, 16);
      return;
    }
    for (int64_t l = 0; l < L; ++l)
      dst[l] = src[l];
  }

  llvm::Error loadInputs(llvm::ArrayRef<Tensor> inputs);
  llvm::Error runPhase(int64_t index, const Phase &phase);
  void setupPhase(const Phase &phase);
  DInstr decode(const Instruction &inst) const;

  void stepRoutes(int64_t now);
  void stepPe(Pe &pe, int64_t now);
  void issue(Pe &pe, int64_t now);
  void finishInstr(Pe &pe, int64_t now);
  void advancePc(Pe &pe);
  void startCompute(Pe &pe, const DInstr &d, int64_t now);
  void executeAll(Pe &pe, const DInstr &d);
  bool tryBeat(Pe &pe, int64_t now);
  template <typename F> bool streamBeat(Pe &pe, int64_t now);
  template <typename F, bool PA, bool PB, bool PD>
  bool streamLanes(Pe &pe, int64_t now);
  template <typename F>
  static bool streamBeatFn(Machine &m, Pe &pe, int64_t now) {
    return m.streamBeat<F>(pe, now);
  }
  template <typename F, bool PA, bool PB, bool PD>
  static bool streamLanesFn(Machine &m, Pe &pe, int64_t now) {
    return m.streamLanes<F, PA, PB, PD>(pe, now);
  }
  template <typename F> static BeatFn beatFor(unsigned shape);
  static BeatFn beatFor(Opcode op, unsigned shape);
  void waitData(Pe &pe, Fifo &q, Wait why);
  void waitCredit(Pe &pe, Fifo &q, int port);
  void releaseBarrier(int64_t now);
  void stepDmas(int64_t now);
  bool dmaReady(const DmaRt &dma, int64_t now) const;
  void startDma(DmaRt &dma, int64_t now);
  int64_t peekFlit(const DmaRt &dma, int64_t *gbAddrs, int64_t *state) const;
  void dramCopy(const DmaRt &dma);
  int64_t nextEvent(int64_t now) const;
  std::string deadlockReport(int64_t now) const;
  void traceSpan(std::string name, const char *category, int64_t pid,
                 int64_t tid, int64_t start, int64_t duration);
};

//===----------------------------------------------------------------------===//
// Setup
//===----------------------------------------------------------------------===//

llvm::Error Machine::loadInputs(llvm::ArrayRef<Tensor> inputs) {
  if (inputs.size() != program.inputs.size())
    return makeError("program '" + program.name + "' takes " +
                     Twine(program.inputs.size()) + " inputs, got " +
                     Twine(inputs.size()));
  dram.assign(size_t(program.dramWords), 0.0f);
  gb.assign(size_t(arch.gbBytes / 4), 0.0f);
  for (const Constant &c : program.constants) {
    std::vector<float> &mem = c.space == MemSpace::Dram ? dram : gb;
    std::copy(c.data.begin(), c.data.end(), mem.begin() + c.addr);
  }
  for (auto [i, sig] : llvm::enumerate(program.inputs)) {
    const Tensor &t = inputs[i];
    if (t.kind != sig.dtype || t.shape != sig.shape) {
      Tensor expected;
      expected.kind = sig.dtype;
      expected.shape = sig.shape;
      return makeError("input " + Twine(i) + " ('" + sig.name + "') must be " +
                       expected.typeString() + ", got " + t.typeString());
    }
    if (int64_t(t.data.size()) != sig.words())
      return makeError("input " + Twine(i) + " ('" + sig.name + "') holds " +
                       Twine(t.data.size()) + " floats, expected " +
                       Twine(sig.words()));
    std::copy(t.data.begin(), t.data.end(), dram.begin() + sig.dramAddr);
  }
  return llvm::Error::success();
}

DInstr Machine::decode(const Instruction &inst) const {
  DInstr d;
  d.op = inst.op;
  d.flags = inst.flags;
  d.n = inst.n;
  d.p0 = inst.p0;
  d.p1 = inst.p1;
  d.beats = beatCount(inst, L);
  d.latency = int32_t(latencyCycles(inst, arch));
  d.flops = flopCount(inst);
  d.laneOps = laneOpCount(inst, L);
  d.arithmetic = d.beats && inst.op != Opcode::Mov && inst.op != Opcode::BitRev;
  d.readsDst = inst.op == Opcode::VFma || inst.op == Opcode::Gemm;
  d.elementwise =
      inst.op == Opcode::Mov || (uint8_t(inst.op) >= uint8_t(Opcode::VAdd) &&
                                 uint8_t(inst.op) <= uint8_t(Opcode::VErf));
  d.kernel = kernelFor(inst.op);
  d.singleOut = inst.dst.isPort() && (inst.dst.base & (inst.dst.base - 1)) == 0;
  const Operand *ops[3] = {&inst.dst, &inst.a, &inst.b};
  DOp *dops[3] = {&d.dst, &d.a, &d.b};
  for (int w = 0; w < 3; ++w) {
    const Operand &o = *ops[w];
    DOp &x = *dops[w];
    // verify() bounds every field: addresses and strides fit 32 bits.
    x.kind = o.kind;
    x.base = int32_t(o.isMem() ? o.base : 0);
    x.stride = int32_t(o.stride);
    x.inc0 = int32_t(o.inc0);
    x.inc1 = int32_t(o.inc1);
    x.imm = o.imm;
    x.words = operandWords(inst, w);
    if (o.isPort()) {
      d.hasPorts = true;
      if (w == 0)
        x.mask = uint8_t(o.base);
      else
        x.port = int8_t(o.base);
      int64_t flits = std::max<int64_t>(1, ceilDiv(x.words, L));
      x.period = std::max<int64_t>(1, d.beats / flits);
    }
  }
  // Local-memory word accesses, for the energy (docs/architecture.md).
  int64_t acc = 0;
  for (int w = 1; w < 3; ++w)
    if (dops[w]->kind == OperandKind::Mem)
      acc += dops[w]->stride == 0 ? 1 : dops[w]->words;
  if (inst.op == Opcode::Gemm) {
    int64_t mk = inst.p0 * inst.p1;
    acc = (d.a.kind == OperandKind::Mem ? mk : 0) +
          (d.b.kind == OperandKind::Mem ? mk * inst.n : 0) +
          (d.dst.kind == OperandKind::Mem ? 2 * mk * inst.n : 0);
  } else if (inst.op == Opcode::Bfly) {
    int64_t entry =
        d.b.words / std::max<int64_t>(
                        1, (inst.flags & flag::PerPair) ? inst.n / 2 : inst.p0);
    acc = d.a.words + inst.n / 2 * entry;
  }
  if (d.dst.kind == OperandKind::Mem && inst.op != Opcode::Gemm)
    acc += d.dst.words * (d.readsDst ? 2 : 1);
  d.lmAccesses = acc;
  return d;
}

void Machine::setupPhase(const Phase &phase) {
  // FIFO capacities: an in-FIFO holds fifo_depth flits plus one per hop of
  // the route that feeds it (the link pipeline registers).
  std::vector<int64_t> cap(numFifos(), 0);
  fifoUsed.clear();
  routes.clear();
  routeDsts.clear();
  // Only route ends get FIFOs: verify() guarantees that instructions use
  // only connected ports, and a small working set keeps the hot loop in
  // cache.
  auto fifoOf = [&](const Endpoint &e, bool source) {
    if (e.node.row >= 0 && e.node.col >= 0) {
      int64_t pe = e.node.row * cols + e.node.col;
      return source ? outFifo(pe, e.port) : inFifo(pe, e.port);
    }
    return edgeFifo(e.node, !source);
  };
  for (const Route &r : phase.routes) {
    RouteRt rt;
    rt.srcFifo = fifoOf(r.src, true);
    cap[rt.srcFifo] = std::max(cap[rt.srcFifo], depth);
    rt.firstDst = int64_t(routeDsts.size());
    rt.numDsts = int64_t(r.dsts.size());
    rt.links = int64_t(r.links.size());
    for (const Endpoint &e : r.dsts) {
      // Hops from the source: walk the (tree-ordered) links back.
      int64_t hops = 0;
      Node at = e.node;
      while (at != r.src.node) {
        for (const Link &l : r.links)
          if (l.to == at) {
            at = l.from;
            break;
          }
        ++hops;
      }
      RouteDst d;
      d.fifo = fifoOf(e, false);
      d.latency = std::max<int64_t>(1, hops);
      cap[d.fifo] = std::max(cap[d.fifo], depth + d.latency);
      routeDsts.push_back(d);
    }
    routes.push_back(rt);
  }
  fifos.assign(numFifos(), Fifo());
  slotStride = kSlotHeader + L;
  int64_t total = 0;
  std::vector<int64_t> ring(numFifos(), 0);
  for (int64_t f = 0; f < numFifos(); ++f) {
    ring[f] = int64_t(llvm::PowerOf2Ceil(uint64_t(cap[f])));
    total += ring[f];
    if (cap[f])
      fifoUsed.push_back(f);
  }
  slots.assign(size_t(total * slotStride), 0.0f);
  for (int64_t f = 0, at = 0; f < numFifos(); ++f) {
    fifos[f].base = slots.data() + at * slotStride;
    fifos[f].cap = int32_t(cap[f]);
    fifos[f].mask = uint32_t(ring[f] - 1);
    fifos[f].stride = int32_t(slotStride);
    at += ring[f];
  }
  busyRoutes.clear();
  for (auto [i, r] : llvm::enumerate(routes))
    fifos[r.srcFifo].srcRoute = int32_t(i);
  for (const RouteRt &r : routes)
    if (r.numDsts == 1 && r.srcFifo < numPEs * 8) {
      Fifo &q = fifos[r.srcFifo];
      q.routeDst = int32_t(routeDsts[r.firstDst].fifo);
      q.routeLatency = int32_t(routeDsts[r.firstDst].latency);
      q.routeLinks = int32_t(r.links);
    }
}

//===----------------------------------------------------------------------===//
// Routes
//===----------------------------------------------------------------------===//

/// Only busy routes (a flit in the source FIFO) are visited; a route leaves
/// the list when it empties its source and rejoins on the next push into it
/// (push). Routes share no FIFO, so their order does not matter.
void Machine::stepRoutes(int64_t now) {
  for (size_t k = 0; k < busyRoutes.size(); ++k) {
    const RouteRt &r = routes[busyRoutes[k]];
    Fifo &src = fifos[r.srcFifo];
    if (!canPop(src, now)) {
      // Emptied by its producer (see streamLanes).
      if (!src.count()) {
        src.routeBusy = false;
        busyRoutes[k--] = busyRoutes.back();
        busyRoutes.pop_back();
      }
      continue;
    }
    const RouteDst *dsts = &routeDsts[r.firstDst];
    bool credit = true;
    for (int64_t d = 0; d < r.numDsts && credit; ++d)
      credit = hasCredit(fifos[dsts[d].fifo], now);
    if (!credit)
      continue;
    const float *flit = headData(src);
    for (int64_t d = 0; d < r.numDsts; ++d)
      copyFlit(push<true>(fifos[dsts[d].fifo], now + dsts[d].latency), flit);
    pop(src);
    src.lastInject = now;
    result.stats.nocFlitHops += r.links;
    progress = true;
    if (!src.count()) {
      src.routeBusy = false;
      busyRoutes[k--] = busyRoutes.back();
      busyRoutes.pop_back();
    }
  }
}

//===----------------------------------------------------------------------===//
// PEs
//===----------------------------------------------------------------------===//

void Machine::advancePc(Pe &pe) {
  ++pe.pc;
  while (pe.depth > 0 && pe.pc == pe.loops[pe.depth - 1].end) {
    LoopFrame &f = pe.loops[pe.depth - 1];
    if (++f.iter < f.count) {
      pe.pc = f.start;
      return;
    }
    --pe.depth;
  }
}

void Machine::traceSpan(std::string name, const char *category, int64_t pid,
                        int64_t tid, int64_t start, int64_t duration) {
  TraceEvent e;
  e.name = std::move(name);
  e.category = category;
  e.pid = pid;
  e.tid = tid;
  e.start = start;
  e.duration = duration;
  result.trace.push_back(std::move(e));
}

void Machine::finishInstr(Pe &pe, int64_t now) {
  if (options.trace && pe.cur)
    traceSpan(toString((*pe.insts)[pe.pc]), "pe", 1, pe.index,
              phaseBase + pe.issueAt, now - pe.issueAt);
  pe.cur = nullptr;
  advancePc(pe);
  pe.state = PeState::Issue;
}

void Machine::issue(Pe &pe, int64_t now) {
  progress = true;
  if (pe.pc >= int64_t(pe.code.size()) || pe.code[pe.pc].op == Opcode::Halt) {
    pe.state = PeState::Halted;
    wakes[pe.index] = kNever;
    pe.finish = now;
    --running;
    return;
  }
  const DInstr &d = pe.code[pe.pc];
  pe.cur = &d;
  pe.issueAt = now;
  ++pe.issued;
  switch (d.op) {
  case Opcode::Nop:
    pe.state = PeState::Sleep;
    wakes[pe.index] = now + 1;
    return;
  case Opcode::Loop: {
    LoopFrame &f = pe.loops[pe.depth++];
    f.start = pe.pc + 1;
    f.end = pe.pc + 1 + d.p1;
    f.count = d.p0;
    f.iter = 0;
    pe.state = PeState::Sleep;
    wakes[pe.index] = now + 1;
    return;
  }
  case Opcode::Barrier:
    pe.state = PeState::Barrier;
    wakes[pe.index] = kNever;
    ++atBarrier;
    return;
  default:
    startCompute(pe, d, now);
    return;
  }
}

/// Effective [lo, hi] words of a Mem operand at a base.
std::pair<int64_t, int64_t> spanOf(int64_t base, const DOp &o) {
  int64_t far = (o.words - 1) * o.stride;
  return {base + std::min<int64_t>(0, far), base + std::max<int64_t>(0, far)};
}

/// dst[e] = f(a[e], b[e]) over strided operands, with a straight-line path
/// for the common unit-stride flit.
template <typename F>
void ewKernel(float *dst, int64_t ds, const float *a, int64_t as,
              const float *b, int64_t bs, int64_t count) {
  F f;
  if (count == 4 && ds == 1 && as == 1 && bs <= 1 && bs >= 0) {
    // One default-arch flit: fixed trip count, fully unrolled.
    float y[4];
    for (int e = 0; e < 4; ++e)
      y[e] = b[bs * e];
    for (int e = 0; e < 4; ++e)
      dst[e] = f(dst[e], a[e], y[e]);
    return;
  }
  if (ds == 1 && as == 1 && (bs == 1 || bs == 0)) {
    if (bs == 1)
      for (int64_t e = 0; e < count; ++e)
        dst[e] = f(dst[e], a[e], b[e]);
    else
      for (int64_t e = 0, y = 0; e < count; ++e)
        dst[e] = f(dst[e], a[e], b[y]);
    return;
  }
  for (int64_t e = 0; e < count; ++e)
    dst[e * ds] = f(dst[e * ds], a[e * as], b[e * bs]);
}

/// dst[l] = f(dst[l], a[l], b[l]) for the L lanes of a full beat, all
/// unit-stride; a fixed trip count for the default 4 lanes.
template <typename F>
inline void laneKernel(float *dst, const float *a, const float *b,
                       int64_t lanes) {
  F f;
  if (lanes == 4) {
    float y[4];
    for (int l = 0; l < 4; ++l)
      y[l] = f(dst[l], a[l], b[l]);
    for (int l = 0; l < 4; ++l)
      dst[l] = y[l];
    return;
  }
  for (int64_t l = 0; l < lanes; ++l)
    dst[l] = f(dst[l], a[l], b[l]);
}

// Each functor gets (old dst, a, b) so that fma fits the same kernel.
struct MovOp {
  float operator()(float, float x, float) const { return x; }
};
struct AddOp {
  float operator()(float, float x, float y) const { return x + y; }
};
struct SubOp {
  float operator()(float, float x, float y) const { return x - y; }
};
struct MulOp {
  float operator()(float, float x, float y) const { return x * y; }
};
struct MaxOp {
  float operator()(float, float x, float y) const { return std::max(x, y); }
};
struct MinOp {
  float operator()(float, float x, float y) const { return std::min(x, y); }
};
struct FmaOp {
  float operator()(float d, float x, float y) const { return d + x * y; }
};
struct ExpOp {
  float operator()(float, float x, float) const { return std::exp(x); }
};
struct RcpOp {
  float operator()(float, float x, float) const { return 1.0f / x; }
};
struct RsqrtOp {
  float operator()(float, float x, float) const { return 1.0f / std::sqrt(x); }
};
struct TanhOp {
  float operator()(float, float x, float) const { return std::tanh(x); }
};
struct ErfOp {
  float operator()(float, float x, float) const { return std::erf(x); }
};

/// The kernel of an elementwise opcode (mov and the v* ops).
EwKernel kernelFor(Opcode op) {
  switch (op) {
  case Opcode::Mov:
    return ewKernel<MovOp>;
  case Opcode::VAdd:
    return ewKernel<AddOp>;
  case Opcode::VSub:
    return ewKernel<SubOp>;
  case Opcode::VMul:
    return ewKernel<MulOp>;
  case Opcode::VMax:
    return ewKernel<MaxOp>;
  case Opcode::VMin:
    return ewKernel<MinOp>;
  case Opcode::VFma:
    return ewKernel<FmaOp>;
  case Opcode::VExp:
    return ewKernel<ExpOp>;
  case Opcode::VRcp:
    return ewKernel<RcpOp>;
  case Opcode::VRsqrt:
    return ewKernel<RsqrtOp>;
  case Opcode::VTanh:
    return ewKernel<TanhOp>;
  case Opcode::VErf:
    return ewKernel<ErfOp>;
  default:
    return nullptr;
  }
}

/// Folds lane partials with a pairwise tree (the hardware's adder tree).
float treeReduce(float *partial, int64_t lanes, bool isMax) {
  for (int64_t width = lanes; width > 1; width = (width + 1) / 2) {
    int64_t half = width / 2;
    for (int64_t l = 0; l < half; ++l) {
      float x = partial[l], y = partial[l + (width + 1) / 2];
      partial[l] = isMax ? std::max(x, y) : x + y;
    }
  }
  return partial[0];
}

void computeBfly(const float *x, const float *tw, float *y, int64_t n,
                 int64_t s, uint8_t flags) {
  bool complex = flags & flag::Complex, matrix = flags & flag::Matrix,
       perPair = flags & flag::PerPair;
  int64_t groups = n / (2 * s);
  for (int64_t g = 0; g < groups; ++g) {
    for (int64_t j = 0; j < s; ++j) {
      int64_t e0 = g * 2 * s + j, e1 = e0 + s;
      int64_t t = perPair ? g * s + j : j;
      if (!complex) {
        float x0 = x[e0], x1 = x[e1];
        if (matrix) {
          const float *m = tw + 4 * t;
          y[e0] = m[0] * x0 + m[1] * x1;
          y[e1] = m[2] * x0 + m[3] * x1;
        } else {
          float w = tw[t];
          y[e0] = x0 + w * x1;
          y[e1] = x0 - w * x1;
        }
        continue;
      }
      float ar = x[2 * e0], ai = x[2 * e0 + 1];
      float br = x[2 * e1], bi = x[2 * e1 + 1];
      if (matrix) {
        const float *m = tw + 8 * t;
        y[2 * e0] = m[0] * ar - m[1] * ai + m[2] * br - m[3] * bi;
        y[2 * e0 + 1] = m[0] * ai + m[1] * ar + m[2] * bi + m[3] * br;
        y[2 * e1] = m[4] * ar - m[5] * ai + m[6] * br - m[7] * bi;
        y[2 * e1 + 1] = m[4] * ai + m[5] * ar + m[6] * bi + m[7] * br;
      } else {
        float wr = tw[2 * t], wi = tw[2 * t + 1];
        float tr = wr * br - wi * bi, ti = wr * bi + wi * br;
        y[2 * e0] = ar + tr;
        y[2 * e0 + 1] = ai + ti;
        y[2 * e1] = ar - tr;
        y[2 * e1 + 1] = ai - ti;
      }
    }
  }
}

void computeBitrev(const float *x, float *y, int64_t n, int64_t wpe) {
  int bits = 0;
  while ((int64_t(1) << bits) < n)
    ++bits;
  for (int64_t k = 0; k < n; ++k) {
    int64_t r = 0;
    for (int b = 0; b < bits; ++b)
      r |= ((k >> b) & 1) << (bits - 1 - b);
    for (int64_t w = 0; w < wpe; ++w)
      y[k * wpe + w] = x[r * wpe + w];
  }
}

void Machine::startCompute(Pe &pe, const DInstr &d, int64_t now) {
  float *mem = &lm[pe.index * lmWords];
  int64_t i0 = pe.depth >= 1 ? pe.loops[pe.depth - 1].iter : 0;
  int64_t i1 = pe.depth >= 2 ? pe.loops[pe.depth - 2].iter : 0;
  auto eff = [&](const DOp &o) { return o.base + o.inc0 * i0 + o.inc1 * i1; };
  pe.baseD = eff(d.dst);
  pe.baseA = eff(d.a);
  pe.baseB = eff(d.b);

  // Bank-conflict factor: the most operand streams read from one bank.
  int64_t banks[3], nb = 0;
  if (d.a.kind == OperandKind::Mem && d.a.stride)
    banks[nb++] = pe.baseA / bankWords;
  if (d.b.kind == OperandKind::Mem && d.b.stride)
    banks[nb++] = pe.baseB / bankWords;
  if (d.readsDst && d.dst.kind == OperandKind::Mem)
    banks[nb++] = pe.baseD / bankWords;
  int64_t factor = 1;
  for (int64_t i = 0; i < nb; ++i) {
    int64_t same = 0;
    for (int64_t j = 0; j < nb; ++j)
      same += banks[j] == banks[i];
    factor = std::max(factor, same);
  }
  pe.factor = factor;

  // Sources that the destination overlaps are read as of issue.
  pe.srcA = pe.srcB = nullptr;
  bool blockOp = d.op == Opcode::Bfly || d.op == Opcode::BitRev;
  if (d.dst.kind == OperandKind::Mem && !blockOp) {
    auto [dlo, dhi] = spanOf(pe.baseD, d.dst);
    auto snap = [&](const DOp &o, int64_t base, std::vector<float> &buf,
                    const float *&ptr) {
      if (o.kind != OperandKind::Mem)
        return;
      if (base == pe.baseD && o.stride == d.dst.stride && o.stride != 0 &&
          d.op != Opcode::Gemm)
        return; // element e only reads element e: in place is fine
      auto [lo, hi] = spanOf(base, o);
      if (hi < dlo || lo > dhi)
        return;
      // Snapshots are indexed by element (a broadcast is replicated).
      if (buf.size() < size_t(o.words))
        buf.resize(size_t(std::max(o.words, lmWords)));
      for (int64_t e = 0; e < o.words; ++e)
        buf[e] = mem[base + e * o.stride];
      ptr = buf.data();
    };
    snap(d.a, pe.baseA, pe.snapA, pe.srcA);
    snap(d.b, pe.baseB, pe.snapB, pe.srcB);
  }

  result.stats.flops += d.flops;
  phaseFlops += d.flops;
  laneOps += d.laneOps;
  lmAccesses += d.lmAccesses;

  if (!d.hasPorts) {
    executeAll(pe, d);
    if (d.arithmetic)
      pe.busy += d.beats;
    pe.state = PeState::Sleep;
    wakes[pe.index] = now + d.beats * factor + d.latency;
    return;
  }

  if (blockOp) {
    // Only the destination streams: compute the block now.
    if (pe.outBuf.size() < size_t(lmWords + L))
      pe.outBuf.resize(size_t(lmWords + L));
    const float *x = mem + pe.baseA;
    if (d.op == Opcode::Bfly)
      computeBfly(x, mem + pe.baseB, pe.outBuf.data(), d.n, d.p0, d.flags);
    else
      computeBitrev(x, pe.outBuf.data(), d.n, d.a.words / d.n);
    std::fill(pe.outBuf.begin() + d.dst.words,
              pe.outBuf.begin() + d.dst.words + L, 0.0f);
  }
  for (int64_t l = 0; l < L; ++l)
    pe.partial[l] = d.op == Opcode::ReduceMax
                        ? -std::numeric_limits<float>::infinity()
                        : 0.0f;
  pe.beat = 0;
  pe.nextA = 0;
  pe.nextB = 0;
  pe.nextD = d.dst.period - 1;
  pe.gi = pe.gk = pe.gnf = 0;
  pe.beatFn = nullptr;
  if (d.elementwise) {
    auto plan = [&](const DOp &o, int64_t base, const float *snap, Fifo *&q,
                    const float *&ptr, int64_t &step) {
      q = o.kind == OperandKind::Port ? &fifos[inFifo(pe.index, o.port)]
                                      : nullptr;
      step = o.kind == OperandKind::Mem ? (snap ? 1 : o.stride) : 0;
      ptr = o.kind == OperandKind::Imm ? &o.imm : snap ? snap : mem + base;
    };
    plan(d.a, pe.baseA, pe.srcA, pe.qA, pe.ptrA, pe.stepA);
    if (d.b.kind == OperandKind::None) {
      pe.qB = nullptr;
      pe.ptrB = pe.ptrA;
      pe.stepB = 0;
    } else {
      plan(d.b, pe.baseB, pe.srcB, pe.qB, pe.ptrB, pe.stepB);
    }
    pe.qD = nullptr;
    if (d.dst.kind == OperandKind::Port)
      for (int p = 0; p < kNumPorts; ++p)
        if (d.dst.mask >> p & 1) {
          pe.qD = &fifos[outFifo(pe.index, p)];
          break;
        }
    pe.ptrD = mem + pe.baseD;
    pe.stepD = d.dst.stride;
    pe.n = d.n;
    pe.beats = d.beats;
    pe.latency = d.latency;
    pe.singleOut = d.singleOut;
    pe.arithmetic = d.arithmetic;
    // Lanes for full beats: a unit-stride source is read in place; a
    // constant one (an immediate, a broadcast word the instruction does not
    // write, no operand) is broadcast once into a lane buffer.
    auto lanes = [&](const DOp &o, const float *ptr, int64_t step, float *bcast,
                     const float *&at, int64_t &adv) {
      if (o.kind == OperandKind::Port)
        return true;
      if (o.kind == OperandKind::Mem && step != 0 && step != 1)
        return false;
      if (o.kind == OperandKind::Mem && step == 1) {
        at = ptr;
        adv = 1;
        return true;
      }
      float value = o.kind == OperandKind::None ? 0.0f : *ptr;
      std::fill(bcast, bcast + L, value);
      at = bcast;
      adv = 0;
      return true;
    };
    pe.unitLanes = lanes(d.a, pe.ptrA, pe.stepA, pe.bcastA, pe.lanesA, pe.advA);
    pe.unitLanes &=
        lanes(d.b, pe.ptrB, pe.stepB, pe.bcastB, pe.lanesB, pe.advB);
    pe.unitLanes &= d.dst.kind == OperandKind::Port || pe.stepD == 1;
    pe.direct = nullptr;
    if (pe.qD && pe.singleOut && pe.qD->routeDst >= 0 &&
        factor - 1 + d.latency == 1)
      pe.direct = &fifos[pe.qD->routeDst];
    unsigned shape =
        (pe.qA ? kPortA : 0) | (pe.qB ? kPortB : 0) | (pe.qD ? kPortD : 0);
    if (L != 4 || !pe.unitLanes || (pe.qD && !pe.singleOut))
      shape = kGeneral;
    pe.beatFn = beatFor(d.op, shape);
  }
  pe.state = PeState::Exec;
  tryBeat(pe, now);
}

void Machine::executeAll(Pe &pe, const DInstr &d) {
  float *mem = &lm[pe.index * lmWords];
  auto src = [&](const DOp &o, int64_t base, const float *snap,
                 int64_t &step) -> const float * {
    if (o.kind == OperandKind::Imm) {
      step = 0;
      return &o.imm;
    }
    if (snap) {
      step = 1;
      return snap;
    }
    step = o.stride;
    return mem + base;
  };
  int64_t as = 0, bs = 0;
  switch (d.op) {
  case Opcode::ReduceSum:
  case Opcode::ReduceMax: {
    bool isMax = d.op == Opcode::ReduceMax;
    const float *a = src(d.a, pe.baseA, pe.srcA, as);
    for (int64_t l = 0; l < L; ++l)
      pe.partial[l] = isMax ? -std::numeric_limits<float>::infinity() : 0.0f;
    for (int64_t e = 0; e < d.n; ++e) {
      float &p = pe.partial[e % L];
      p = isMax ? std::max(p, a[e * as]) : p + a[e * as];
    }
    mem[pe.baseD] = treeReduce(pe.partial, L, isMax);
    return;
  }
  case Opcode::Bfly:
  case Opcode::BitRev: {
    if (scratch.size() < size_t(lmWords))
      scratch.resize(size_t(lmWords));
    if (d.op == Opcode::Bfly)
      computeBfly(mem + pe.baseA, mem + pe.baseB, scratch.data(), d.n, d.p0,
                  d.flags);
    else
      computeBitrev(mem + pe.baseA, scratch.data(), d.n, d.a.words / d.n);
    std::copy(scratch.begin(), scratch.begin() + d.dst.words, mem + pe.baseD);
    return;
  }
  case Opcode::Gemm: {
    const float *a = src(d.a, pe.baseA, pe.srcA, as);
    const float *b = src(d.b, pe.baseB, pe.srcB, bs);
    float *c = mem + pe.baseD;
    int64_t m = d.p0, n = d.n, k = d.p1;
    bool init = d.flags & flag::GemmInit;
    for (int64_t i = 0; i < m; ++i)
      for (int64_t kk = 0; kk < k; ++kk) {
        float av = a[i * k + kk];
        const float *brow = b + kk * n;
        float *crow = c + i * n;
        if (init && kk == 0)
          for (int64_t j = 0; j < n; ++j)
            crow[j] = av * brow[j];
        else
          for (int64_t j = 0; j < n; ++j)
            crow[j] += av * brow[j];
      }
    return;
  }
  default: {
    const float *a = src(d.a, pe.baseA, pe.srcA, as);
    const float *b =
        d.b.kind == OperandKind::None ? a : src(d.b, pe.baseB, pe.srcB, bs);
    d.kernel(mem + pe.baseD, d.dst.stride, a, as, b, bs, d.n);
    return;
  }
  }
}

/// Puts \p pe to sleep until in-FIFO \p q can deliver: until its head
/// arrives, or until the next push into an empty FIFO.
void Machine::waitData(Pe &pe, Fifo &q, Wait why) {
  pe.wait = why;
  if (q.count()) {
    wakes[pe.index] = fifoHeadTime(q);
  } else {
    wakes[pe.index] = kNever;
    q.pushWaiter = int32_t(pe.index);
  }
}

/// Puts \p pe to sleep until the route pops its full out-FIFO \p q.
void Machine::waitCredit(Pe &pe, Fifo &q, int port) {
  pe.wait = Wait::Credit;
  pe.waitPort = port;
  wakes[pe.index] = kNever;
  q.popWaiter = int32_t(pe.index);
}

/// Beats of an elementwise instruction with port operands: the common
/// streaming case, kept lean (every port moves one flit per beat) and
/// specialised per operation \p F.
///
/// After the beat of cycle \p now the PE runs ahead: it executes the beats
/// of the following cycles for as long as their outcome is already
/// certain, i.e. the in-FIFOs already hold flits visible by then (no other
/// unit pops them) and its own count of out-FIFO credit suffices (routes
/// only ever return credit). Every effect carries the cycle of its beat:
/// pushed flits their arrival time, pops the pop cycle (popAt; the credit
/// returns to the producer from the next cycle on). At the first beat that
/// is not certain the PE sleeps until that cycle and tries it again then,
/// with the rest of the array caught up. So the beats happen in exactly the
/// cycles they would happen in if the PE were stepped cycle by cycle.
template <typename F> bool Machine::streamBeat(Pe &pe, int64_t now) {
  Fifo *qa = pe.qA, *qb = pe.qB, *qd = pe.qD;
  if (qa && !canPop(*qa, now)) {
    waitData(pe, *qa, Wait::DataA);
    return false;
  }
  if (qb && !canPop(*qb, now)) {
    waitData(pe, *qb, Wait::DataB);
    return false;
  }
  if (qd) {
    if (pe.singleOut) {
      if (qd->count() >= depth) {
        waitCredit(pe, *qd, int(qd - &fifos[outFifo(pe.index, 0)]));
        return false;
      }
    } else {
      for (int p = 0; p < kNumPorts; ++p) {
        Fifo &q = fifos[outFifo(pe.index, p)];
        if ((pe.cur->dst.mask >> p & 1) && q.count() >= depth) {
          waitCredit(pe, q, p);
          return false;
        }
      }
    }
  }
  pe.wait = Wait::None;
  progress = true;

  // The loop keeps the PE's state in locals: stores through the FIFOs
  // and wakes[] could otherwise alias it.
  const int64_t factor = pe.factor, latency = pe.latency, n = pe.n,
                beats = pe.beats;
  const int64_t at0 = factor - 1 + latency; // a pushed flit's delay
  Fifo *const direct = pe.direct;
  const bool fast = pe.unitLanes, multi = qd && !pe.singleOut;
  const float *const lanesA = pe.lanesA, *const lanesB = pe.lanesB;
  const int64_t advA = pe.advA, advB = pe.advB;
  int64_t beat = pe.beat, hops = 0, done = 0, wake;
  for (;;) {
    const int64_t e0 = beat * L;
    float *out;
    if (qd) {
      // Compute straight into the out-FIFO slot (assembling the flit
      // elsewhere and copying it would stall on store forwarding).
      // An empty out-FIFO whose flit becomes visible next cycle, on a
      // point-to-point route whose end has credit for the route's next
      // cycle: the route would inject it then, so deliver it now with the
      // same arrival time and skip the copy through the out-FIFO.
      if (direct && qd->count() == 0 && hasCredit(*direct, now + 1)) {
        out = push<true>(*direct, now + 1 + qd->routeLatency);
        hops += qd->routeLinks;
      } else {
        out = push(*qd, now + at0);
      }
    } else {
      out = pe.ptrD + e0 * pe.stepD;
    }
    if (fast && e0 + L <= n) {
      laneKernel<F>(out, qa ? headData(*qa) : lanesA + e0 * advA,
                    qb ? headData(*qb) : lanesB + e0 * advB, L);
    } else {
      const int64_t count = n - e0 < L ? n - e0 : L;
      const float *a = qa ? headData(*qa) : pe.ptrA + e0 * pe.stepA;
      const int64_t as = qa ? 1 : pe.stepA;
      const float *b = qb ? headData(*qb) : pe.ptrB + e0 * pe.stepB;
      const int64_t bs = qb ? 1 : pe.stepB;
      if (qd) {
        if (count < L)
          std::fill(out + count, out + L, 0.0f);
        ewKernel<F>(out, 1, a, as, b, bs, count);
      } else {
        ewKernel<F>(out, pe.stepD, a, as, b, bs, count);
      }
    }
    if (multi)
      for (int p = 0; p < kNumPorts; ++p) {
        Fifo &q = fifos[outFifo(pe.index, p)];
        if ((pe.cur->dst.mask >> p & 1) && &q != qd)
          copyFlit(push(q, now + at0), out);
      }
    if (qa)
      popAt(*qa, now);
    if (qb)
      popAt(*qb, now);
    ++done;
    if (++beat == beats) {
      pe.state = PeState::Sleep;
      wake = now + factor + latency;
      break;
    }
    // The next beat, if it is certain already.
    now += factor;
    wake = now;
    if ((qa && !canPop(*qa, now)) || (qb && !canPop(*qb, now)))
      break;
    if (qd) {
      if (!multi) {
        if (qd->count() >= depth)
          break;
      } else {
        bool credit = true;
        for (int p = 0; p < kNumPorts; ++p)
          if ((pe.cur->dst.mask >> p & 1) &&
              fifos[outFifo(pe.index, p)].count() >= depth)
            credit = false;
        if (!credit)
          break;
      }
    }
  }
  pe.beat = beat;
  wakes[pe.index] = wake;
  pe.busy += pe.arithmetic ? done : 0;
  result.stats.nocFlitHops += hops;
  return true;
}

/// streamBeat for the common shapes on the default 4 lanes, specialised on
/// which of a (\p PA), b (\p PB) and dst (\p PD) are ports: every operand
/// is a single port, a unit-stride range of local memory or a constant
/// (Pe::unitLanes), so a full beat is one 4-lane kernel. Same run-ahead and
/// timing as streamBeat.
template <typename F, bool PA, bool PB, bool PD>
bool Machine::streamLanes(Pe &pe, int64_t now) {
  Fifo *const qa = PA ? pe.qA : nullptr, *const qb = PB ? pe.qB : nullptr,
              *const qd = PD ? pe.qD : nullptr;
  if (PA && !canPop(*qa, now)) {
    waitData(pe, *qa, Wait::DataA);
    return false;
  }
  if (PB && !canPop(*qb, now)) {
    waitData(pe, *qb, Wait::DataB);
    return false;
  }
  if (PD && qd->count() >= depth) {
    waitCredit(pe, *qd, int(qd - &fifos[outFifo(pe.index, 0)]));
    return false;
  }
  pe.wait = Wait::None;
  progress = true;

  // The loop keeps everything in locals (the bytewise time stores into
  // FIFO slots could alias any field) and carries the head slots of the
  // in-FIFOs from the readiness check to the pop. Only chosen when
  // lanes == 4, so a slot is kSlotHeader + 4 floats.
  constexpr int64_t L = 4, stride = kSlotHeader + 4;
  auto slotOf = [](const Fifo &q, uint32_t i) {
    return q.base + int64_t(i & q.mask) * stride;
  };
  const int64_t factor = pe.factor, n = pe.n, beats = pe.beats, full = n / L,
                depth = this->depth;
  int64_t *const wakes = this->wakes.data();
  const int64_t at0 = factor - 1 + pe.latency; // a pushed flit's delay
  Fifo *const direct = pe.direct;
  const int64_t routeLatency = PD ? qd->routeLatency : 0;
  const int64_t routeLinks = PD ? qd->routeLinks : 0;
  const float *const lanesA = pe.lanesA, *const lanesB = pe.lanesB;
  const int64_t advA = pe.advA, advB = pe.advB;
  float *const ptrD = pe.ptrD;
  float *sa = PA ? slotOf(*qa, qa->popped) : nullptr;
  float *sb = PB ? slotOf(*qb, qb->popped) : nullptr;
  int64_t beat = pe.beat, hops = 0, wake;
  const int64_t first = beat;
  for (;;) {
    const int64_t e0 = beat * L;
    float *out;
    if (PD) {
      if (direct && qd->pushed == qd->popped && fifoCredit(*direct, now + 1)) {
        int64_t availAt = now + 1 + routeLatency;
        if (direct->pushWaiter >= 0) {
          int64_t &w = wakes[direct->pushWaiter];
          w = std::min(w, availAt);
          direct->pushWaiter = -1;
        }
        out = slotOf(*direct, direct->pushed++);
        std::memcpy(out, &availAt, sizeof(availAt));
        out += kSlotHeader;
        hops += routeLinks;
      } else {
        out = push(*qd, now + at0);
      }
    } else {
      out = ptrD + e0;
    }
    const float *a = PA ? sa + kSlotHeader : lanesA + e0 * advA;
    const float *b = PB ? sb + kSlotHeader : lanesB + e0 * advB;
    if (beat < full) {
      laneKernel<F>(out, a, b, 4);
    } else { // the last, partial beat
      const int64_t count = n - e0;
      if (PD)
        std::fill(out + count, out + L, 0.0f);
      ewKernel<F>(out, 1, a, 1, b, 1, count);
    }
    // Pop: the slot keeps its credit until fifoCredit returns it.
    if (PA) {
      std::memcpy(sa, &now, sizeof(now));
      ++qa->popped;
    }
    if (PB) {
      std::memcpy(sb, &now, sizeof(now));
      ++qb->popped;
    }
    if (++beat == beats) {
      pe.state = PeState::Sleep;
      wake = now + factor + pe.latency;
      break;
    }
    // The next beat, if it is certain already.
    now += factor;
    wake = now;
    if (PA) {
      if (qa->pushed == qa->popped)
        break;
      sa = slotOf(*qa, qa->popped);
      if (fifoSlotTime(sa) > now)
        break;
    }
    if (PB) {
      if (qb->pushed == qb->popped)
        break;
      sb = slotOf(*qb, qb->popped);
      if (fifoSlotTime(sb) > now)
        break;
    }
    if (PD && direct) {
      // Flits waiting in the out-FIFO: perform the route's injections of
      // cycles up to this beat's whose timing is already certain. The route
      // moves the head flit in the first cycle c0 = max(visible, its last
      // move + 1, the next cycle to be stepped) with credit at the end;
      // credit found now is credit then (only this route pushes there and
      // pops are final), credit not found yet may still come, so stop.
      const int64_t next = curNow + 1;
      while (qd->pushed != qd->popped) {
        float *h = slotOf(*qd, qd->popped);
        int64_t c0 = fifoSlotTime(h);
        c0 = std::max(c0, std::max(qd->lastInject + 1, next));
        if (c0 > now || !fifoCredit(*direct, c0))
          break;
        copyFlit(fifoPush(*direct, c0 + routeLatency, wakes), h + kSlotHeader);
        qd->released = ++qd->popped;
        qd->lastInject = c0;
        hops += routeLinks;
      }
    }
    if (PD && qd->count() >= depth)
      break;
  }
  pe.beat = beat;
  wakes[pe.index] = wake;
  pe.busy += pe.arithmetic ? beat - first : 0;
  result.stats.nocFlitHops += hops;
  return true;
}

template <typename F> BeatFn Machine::beatFor(unsigned shape) {
  switch (shape) {
  case 0:
    return &Machine::streamLanesFn<F, false, false, false>;
  case kPortA:
    return &Machine::streamLanesFn<F, true, false, false>;
  case kPortB:
    return &Machine::streamLanesFn<F, false, true, false>;
  case kPortA | kPortB:
    return &Machine::streamLanesFn<F, true, true, false>;
  case kPortD:
    return &Machine::streamLanesFn<F, false, false, true>;
  case kPortA | kPortD:
    return &Machine::streamLanesFn<F, true, false, true>;
  case kPortB | kPortD:
    return &Machine::streamLanesFn<F, false, true, true>;
  case kPortA | kPortB | kPortD:
    return &Machine::streamLanesFn<F, true, true, true>;
  default:
    return &Machine::streamBeatFn<F>;
  }
}

BeatFn Machine::beatFor(Opcode op, unsigned shape) {
  switch (op) {
  case Opcode::Mov:
    return beatFor<MovOp>(shape);
  case Opcode::VAdd:
    return beatFor<AddOp>(shape);
  case Opcode::VSub:
    return beatFor<SubOp>(shape);
  case Opcode::VMul:
    return beatFor<MulOp>(shape);
  case Opcode::VMax:
    return beatFor<MaxOp>(shape);
  case Opcode::VMin:
    return beatFor<MinOp>(shape);
  case Opcode::VFma:
    return beatFor<FmaOp>(shape);
  case Opcode::VExp:
    return beatFor<ExpOp>(shape);
  case Opcode::VRcp:
    return beatFor<RcpOp>(shape);
  case Opcode::VRsqrt:
    return beatFor<RsqrtOp>(shape);
  case Opcode::VTanh:
    return beatFor<TanhOp>(shape);
  case Opcode::VErf:
    return beatFor<ErfOp>(shape);
  default:
    return nullptr;
  }
}

bool Machine::tryBeat(Pe &pe, int64_t now) {
  const DInstr &d = *pe.cur;
  if (pe.beatFn)
    return pe.beatFn(*this, pe, now);
  int64_t beat = pe.beat;
  bool popA = d.a.kind == OperandKind::Port && beat == pe.nextA;
  bool popB = d.b.kind == OperandKind::Port && beat == pe.nextB;
  bool pushD = d.dst.kind == OperandKind::Port && beat == pe.nextD;
  int64_t inA = popA ? inFifo(pe.index, d.a.port) : 0;
  int64_t inB = popB ? inFifo(pe.index, d.b.port) : 0;
  if (popA && !canPop(inA, now)) {
    waitData(pe, fifos[inA], Wait::DataA);
    return false;
  }
  if (popB && !canPop(inB, now)) {
    waitData(pe, fifos[inB], Wait::DataB);
    return false;
  }
  if (pushD)
    for (unsigned p = 0, m = d.dst.mask; m; ++p, m >>= 1)
      if ((m & 1) && fifos[outFifo(pe.index, p)].count() >= depth) {
        waitCredit(pe, fifos[outFifo(pe.index, p)], int(p));
        return false;
      }
  pe.wait = Wait::None;
  progress = true;

  float *mem = &lm[pe.index * lmWords];
  const float *fa = popA ? headData(inA) : nullptr;
  const float *fb = popB ? headData(inB) : nullptr;
  // Where a beat's operand lanes come from: a popped flit (step 1), local
  // memory (or its snapshot) at the beat's first element, or an immediate.
  auto lanesOf = [&](const DOp &o, int64_t base, const float *snap,
                     const float *flit, int64_t e0,
                     int64_t &step) -> const float * {
    switch (o.kind) {
    case OperandKind::Port:
      step = 1;
      return flit;
    case OperandKind::Imm:
      step = 0;
      return &o.imm;
    default:
      if (snap) {
        step = 1;
        return snap + e0;
      }
      if (o.stride == 0) {
        step = 0;
        return mem + base;
      }
      step = o.stride;
      return mem + base + e0 * o.stride;
    }
  };

  switch (d.op) {
  case Opcode::Bfly:
  case Opcode::BitRev:
    if (pushD)
      copyFlit(pe.outFlit, pe.outBuf.data() + (beat / d.dst.period) * L);
    break;
  case Opcode::ReduceSum:
  case Opcode::ReduceMax: {
    bool isMax = d.op == Opcode::ReduceMax;
    int64_t e0 = beat * L, count = std::min(L, d.n - e0), as = 0;
    const float *a = lanesOf(d.a, pe.baseA, pe.srcA, fa, e0, as);
    for (int64_t l = 0; l < count; ++l)
      pe.partial[l] = isMax ? std::max(pe.partial[l], a[l * as])
                            : pe.partial[l] + a[l * as];
    if (beat == d.beats - 1) {
      float r = treeReduce(pe.partial, L, isMax);
      if (d.dst.kind == OperandKind::Mem)
        mem[pe.baseD] = r;
      std::fill(pe.outFlit, pe.outFlit + L, 0.0f);
      pe.outFlit[0] = r;
    }
    break;
  }
  case Opcode::Gemm: {
    int64_t n = d.n, k = d.p1, nf = pe.gnf, col0 = nf * L;
    int64_t count = std::min(L, n - col0);
    if (popA)
      copyFlit(pe.flitA, fa);
    int64_t ai = pe.gi * k + pe.gk;
    float av = d.a.kind == OperandKind::Port
                   ? pe.flitA[ai % L]
                   : (pe.srcA ? pe.srcA[ai] : mem[pe.baseA + ai]);
    const float *b =
        d.b.kind == OperandKind::Port
            ? fb
            : (pe.srcB ? pe.srcB : mem + pe.baseB) + pe.gk * n + col0;
    float *c = mem + pe.baseD + pe.gi * n + col0;
    if ((d.flags & flag::GemmInit) && pe.gk == 0)
      for (int64_t l = 0; l < count; ++l)
        c[l] = av * b[l];
    else
      for (int64_t l = 0; l < count; ++l)
        c[l] += av * b[l];
    if (++pe.gnf == ceilDiv(n, L)) {
      pe.gnf = 0;
      if (++pe.gk == k) {
        pe.gk = 0;
        ++pe.gi;
      }
    }
    break;
  }
  default: {
    int64_t e0 = beat * L, count = std::min(L, d.n - e0), as = 0, bs = 0;
    const float *a = lanesOf(d.a, pe.baseA, pe.srcA, fa, e0, as);
    const float *b = d.b.kind == OperandKind::None
                         ? a
                         : lanesOf(d.b, pe.baseB, pe.srcB, fb, e0, bs);
    if (d.dst.kind == OperandKind::Port) {
      if (count < L)
        std::fill(pe.outFlit + count, pe.outFlit + L, 0.0f);
      d.kernel(pe.outFlit, 1, a, as, b, bs, count);
    } else {
      d.kernel(mem + pe.baseD + e0 * d.dst.stride, d.dst.stride, a, as, b, bs,
               count);
    }
    break;
  }
  }

  if (popA) {
    popAt(fifos[inA], now);
    pe.nextA += d.a.period;
  }
  if (popB) {
    popAt(fifos[inB], now);
    pe.nextB += d.b.period;
  }
  if (pushD) {
    int64_t at = now + pe.factor - 1 + d.latency;
    for (unsigned p = 0, m = d.dst.mask; m; ++p, m >>= 1)
      if (m & 1)
        copyFlit(push(outFifo(pe.index, p), at), pe.outFlit);
    pe.nextD += d.dst.period;
  }
  if (d.arithmetic)
    ++pe.busy;
  if (++pe.beat == d.beats) {
    pe.state = PeState::Sleep;
    wakes[pe.index] = now + pe.factor + d.latency;
  } else {
    wakes[pe.index] = now + pe.factor;
  }
  return true;
}

void Machine::stepPe(Pe &pe, int64_t now) {
  switch (pe.state) {
  case PeState::Sleep:
    finishInstr(pe, now);
    [[fallthrough]];
  case PeState::Issue:
    issue(pe, now);
    return;
  case PeState::Exec:
    if (pe.beatFn)
      pe.beatFn(*this, pe, now);
    else
      tryBeat(pe, now);
    return;
  default:
    return;
  }
}

void Machine::releaseBarrier(int64_t now) {
  for (int64_t i : active) {
    Pe &pe = pes[i];
    if (pe.state == PeState::Barrier) {
      pe.state = PeState::Sleep;
      wakes[i] = now + 1;
    }
  }
  atBarrier = 0;
  progress = true;
}

//===----------------------------------------------------------------------===//
// DMAs
//===----------------------------------------------------------------------===//

bool Machine::dmaReady(const DmaRt &dma, int64_t now) const {
  for (int64_t w : dma.desc->waitFor)
    if (dmas[w].state != DmaState::Done || dmas[w].finish > now)
      return false;
  if (dma.prevSameEdge >= 0) {
    const DmaRt &prev = dmas[dma.prevSameEdge];
    if (prev.state != DmaState::Done || prev.finish > now)
      return false;
  }
  return true;
}

void Machine::startDma(DmaRt &dma, int64_t now) {
  dma.state = DmaState::Active;
  dma.start = now;
  dma.moved = 0;
  dma.gbAddr = dma.desc->gbAddr;
  dma.dramAddr = dma.desc->dramAddr;
  std::fill(std::begin(dma.idx), std::end(dma.idx), 0);
  progress = true;
  DmaKind kind = dma.desc->kind;
  if (kind == DmaKind::DramToGb || kind == DmaKind::GbToDram) {
    // The DRAM channel serves transfers in the order they start.
    double bytes = double(dma.total) * 4;
    double begin = std::max(double(now), channelFree);
    double end = begin + bytes / dramBytesPerCycle;
    channelFree = end;
    dma.finish = int64_t(std::ceil(end - 1e-9)) + dramLatency;
    dma.finish = std::max(dma.finish, now + 1);
  }
}

/// The GB addresses of the next flit of an edge DMA; returns the element
/// count and leaves the advanced pattern counters in \p state.
int64_t Machine::peekFlit(const DmaRt &dma, int64_t *gbAddrs,
                          int64_t *state) const {
  const std::vector<DmaDim> &dims = dma.desc->dims;
  int64_t nd = int64_t(dims.size());
  int64_t addr = dma.gbAddr;
  std::memcpy(state, dma.idx, sizeof(int64_t) * nd);
  int64_t count = std::min(L, dma.total - dma.moved);
  for (int64_t e = 0; e < count; ++e) {
    gbAddrs[e] = addr;
    for (int64_t d = nd - 1; d >= 0; --d) {
      addr += dims[d].gbStride;
      if (++state[d] < dims[d].size)
        break;
      addr -= dims[d].gbStride * dims[d].size;
      state[d] = 0;
    }
  }
  state[kMaxDmaDims] = addr;
  return count;
}

void Machine::dramCopy(const DmaRt &dma) {
  const std::vector<DmaDim> &dims = dma.desc->dims;
  int64_t nd = int64_t(dims.size());
  int64_t idx[kMaxDmaDims] = {};
  int64_t g = dma.desc->gbAddr, r = dma.desc->dramAddr;
  bool toGb = dma.desc->kind == DmaKind::DramToGb;
  for (int64_t e = 0; e < dma.total; ++e) {
    if (toGb)
      gb[g] = dram[r];
    else
      dram[r] = gb[g];
    for (int64_t d = nd - 1; d >= 0; --d) {
      g += dims[d].gbStride;
      r += dims[d].dramStride;
      if (++idx[d] < dims[d].size)
        break;
      g -= dims[d].gbStride * dims[d].size;
      r -= dims[d].dramStride * dims[d].size;
      idx[d] = 0;
    }
  }
}

void Machine::stepDmas(int64_t now) {
  int64_t gbAddrs[kMaxLanes];
  int64_t state[kMaxDmaDims + 1];
  // Start, in index order, the waiting DMAs whose dependencies have
  // finished (before this cycle: the same as starting each in its turn).
  if (dmaFinished) {
    dmaFinished = false;
    size_t active = activeDmas.size();
    llvm::erase_if(waitingDmas, [&](int32_t index) {
      if (!dmaReady(dmas[index], now))
        return false;
      startDma(dmas[index], now);
      activeDmas.push_back(index);
      return true;
    });
    if (activeDmas.size() != active)
      llvm::sort(activeDmas);
  }
  bool finished = false;
  for (int32_t index : activeDmas) {
    DmaRt &dma = dmas[index];
    DmaKind kind = dma.desc->kind;
    if (kind == DmaKind::DramToGb || kind == DmaKind::GbToDram) {
      if (now == dma.finish - 1) {
        dramCopy(dma);
        dma.state = DmaState::Done;
        finished = true;
        --dmasPending;
        int64_t bytes = dma.total * 4;
        result.stats.dramBytes += bytes;
        result.stats.gbBytes += bytes;
        gbFlits += ceilDiv(bytes, L * 4);
        progress = true;
        if (options.trace)
          traceSpan(std::string(dmaKindName(kind)) + " " +
                        std::to_string(bytes) + " B",
                    "dma", 2, &dma - dmas.data(), phaseBase + dma.start,
                    dma.finish - dma.start);
      }
      continue;
    }
    bool source = kind == DmaKind::GbToEdge;
    if (dma.wake > now ||
        (source ? fifos[dma.fifo].count() >= depth : !canPop(dma.fifo, now)))
      continue;
    int64_t count = peekFlit(dma, gbAddrs, state);
    // Each bank serves one row (lanes words) per cycle; a flit that needs
    // several rows of one bank holds it, and the DMA, that many cycles.
    // Lower DMA indices win a conflict.
    int64_t banks[kMaxLanes], rowsIn[kMaxLanes], nb = 0, maxRows = 1;
    bool free = true;
    for (int64_t e = 0; e < count; ++e) {
      int64_t row = gbAddrs[e] / L;
      bool seen = false;
      for (int64_t p = 0; p < e && !seen; ++p)
        seen = gbAddrs[p] / L == row;
      if (seen)
        continue;
      int64_t bank = row % arch.gbBanks, k = 0;
      while (k < nb && banks[k] != bank)
        ++k;
      if (k == nb) {
        banks[nb] = bank;
        rowsIn[nb++] = 0;
        free &= bankBusyUntil[bank] <= now;
      }
      maxRows = std::max(maxRows, ++rowsIn[k]);
    }
    if (!free)
      continue;
    for (int64_t k = 0; k < nb; ++k)
      bankBusyUntil[banks[k]] = now + rowsIn[k];
    dma.wake = now + maxRows;
    if (source) {
      float *flit = push(dma.fifo, now + 1);
      for (int64_t e = 0; e < L; ++e)
        flit[e] = e < count ? gb[gbAddrs[e]] : 0.0f;
    } else {
      const float *flit = headData(dma.fifo);
      for (int64_t e = 0; e < count; ++e)
        gb[gbAddrs[e]] = flit[e];
      pop(dma.fifo);
    }
    std::memcpy(dma.idx, state, sizeof(int64_t) * dma.desc->dims.size());
    dma.gbAddr = state[kMaxDmaDims];
    dma.moved += count;
    result.stats.gbBytes += count * 4;
    ++gbFlits;
    progress = true;
    if (dma.moved == dma.total) {
      dma.state = DmaState::Done;
      finished = true;
      --dmasPending;
      dma.finish = now + 1;
      if (options.trace)
        traceSpan(std::string(dmaKindName(kind)) + " " +
                      nodeName(dma.desc->edge),
                  "dma", 2, &dma - dmas.data(), phaseBase + dma.start,
                  dma.finish - dma.start);
    }
  }
  if (finished) {
    llvm::erase_if(activeDmas, [&](int32_t index) {
      return dmas[index].state == DmaState::Done;
    });
    dmaFinished = true;
  }
}

//===----------------------------------------------------------------------===//
// Phases, events, deadlock
//===----------------------------------------------------------------------===//

int64_t Machine::nextEvent(int64_t now) const {
  int64_t next = kNever;
  auto consider = [&](int64_t t) {
    if (t > now && t < next)
      next = t;
  };
  for (int64_t i : active) {
    const Pe &pe = pes[i];
    if (pe.state == PeState::Sleep || pe.state == PeState::Exec)
      consider(wakes[i]);
  }
  for (int64_t f : fifoUsed) {
    const Fifo &q = fifos[f];
    if (q.count())
      consider(fifoHeadTime(q));
    if (q.held()) // credit returns the cycle after the pop
      consider(slotTime(q.slot(q.released)) + 1);
  }
  for (int32_t index : activeDmas) {
    const DmaRt &dma = dmas[index];
    if (dma.desc->kind == DmaKind::DramToGb ||
        dma.desc->kind == DmaKind::GbToDram)
      consider(dma.finish - 1);
    consider(dma.wake);
  }
  // A waiting DMA can start the cycle after another finished.
  if (dmaFinished && !waitingDmas.empty())
    consider(now + 1);
  for (int64_t t : bankBusyUntil)
    consider(t);
  return next;
}

std::string Machine::deadlockReport(int64_t now) const {
  std::vector<std::string> lines;
  std::vector<int64_t> order(active.begin(), active.end());
  llvm::sort(order);
  for (int64_t i : order) {
    const Pe &pe = pes[i];
    std::string who =
        "PE(" + std::to_string(pe.row) + "," + std::to_string(pe.col) + ")";
    if (pe.state == PeState::Barrier) {
      lines.push_back(who + " waits at `barrier` (instruction " +
                      std::to_string(pe.pc) + ")");
      continue;
    }
    if (pe.state != PeState::Exec || !pe.cur)
      continue;
    std::string what = who + " `" + toString((*pe.insts)[pe.pc]) +
                       "` (instruction " + std::to_string(pe.pc) + ", beat " +
                       std::to_string(pe.beat) + " of " +
                       std::to_string(pe.cur->beats) + ")";
    if (pe.wait == Wait::DataA || pe.wait == Wait::DataB) {
      int64_t port = pe.wait == Wait::DataA ? pe.cur->a.port : pe.cur->b.port;
      lines.push_back(what + " waits for data on in" + std::to_string(port) +
                      " (FIFO empty)");
    } else if (pe.wait == Wait::Credit) {
      std::string line = what + " waits for credit on out" +
                         std::to_string(pe.waitPort) + " (FIFO full";
      int64_t src = outFifo(pe.index, pe.waitPort);
      for (const RouteRt &r : routes) {
        if (r.srcFifo != src)
          continue;
        for (int64_t k = 0; k < r.numDsts; ++k) {
          const RouteDst &d = routeDsts[r.firstDst + k];
          if (occupancy(fifos[d.fifo], now) >= fifos[d.fifo].cap) {
            int64_t f = d.fifo;
            line += f < numPEs * 8
                        ? "; PE(" + std::to_string(f / 8 / cols) + "," +
                              std::to_string(f / 8 % cols) + ") in" +
                              std::to_string(f % 8) + " is full"
                        : "; the edge port is full";
            break;
          }
        }
      }
      lines.push_back(line + ")");
    }
  }
  for (const DmaRt &dma : dmas) {
    if (dma.state == DmaState::Done)
      continue;
    std::string who = "DMA " + std::to_string(&dma - dmas.data()) + " (" +
                      dmaKindName(dma.desc->kind);
    if (dma.desc->kind == DmaKind::GbToEdge ||
        dma.desc->kind == DmaKind::EdgeToGb)
      who += " " + nodeName(dma.desc->edge);
    who += ")";
    if (dma.state == DmaState::Waiting)
      lines.push_back(who + " waits for an earlier DMA");
    else if (dma.desc->kind == DmaKind::GbToEdge)
      lines.push_back(who + " waits for credit (edge FIFO full), " +
                      std::to_string(dma.moved) + " of " +
                      std::to_string(dma.total) + " elements sent");
    else
      lines.push_back(who + " waits for data (edge FIFO empty), " +
                      std::to_string(dma.moved) + " of " +
                      std::to_string(dma.total) + " elements received");
  }
  std::string text = "deadlock at cycle " + std::to_string(now) + " in phase " +
                     std::to_string(phaseIndex) + ": ";
  const size_t shown = 16;
  for (size_t i = 0; i < lines.size() && i < shown; ++i)
    text += (i ? "; " : "") + lines[i];
  if (lines.size() > shown)
    text += "; ... and " + std::to_string(lines.size() - shown) +
            " more waiting units";
  if (lines.empty())
    text += "no unit can make progress";
  return text;
}

llvm::Error Machine::runPhase(int64_t index, const Phase &phase) {
  phaseIndex = index;
  PhaseStats ps;
  ps.name = phase.name;
  ps.configBytes = configBytes(phase);
  ps.configCycles = ceilDiv(ps.configBytes, arch.configBytesPerCycle);
  if (options.trace)
    traceSpan("configure " + (phase.name.empty()
                                  ? "phase " + std::to_string(index)
                                  : phase.name),
              "config", 0, 0, phaseBase, ps.configCycles);
  phaseBase += ps.configCycles;

  setupPhase(phase);
  active.clear();
  running = 0;
  atBarrier = 0;
  phaseFlops = 0;
  for (const PeProgram &p : phase.pes) {
    int64_t i = p.row * cols + p.col;
    Pe &pe = pes[i];
    pe.code.clear();
    pe.insts = &p.instructions;
    for (const Instruction &inst : p.instructions) {
      pe.code.push_back(decode(inst));
    }
    for (const MemInit &init : p.memInit)
      std::copy(init.data.begin(), init.data.end(),
                lm.begin() + i * lmWords + init.addr);
    pe.pc = 0;
    pe.depth = 0;
    pe.cur = nullptr;
    pe.state = PeState::Issue;
    pe.slot = int64_t(active.size());
    wakes[i] = 0;
    pe.busy = pe.finish = pe.issued = 0;
    pe.wait = Wait::None;
    active.push_back(i);
    ++running;
  }
  dmas.assign(phase.dmas.size(), DmaRt());
  for (auto [i, desc] : llvm::enumerate(phase.dmas)) {
    DmaRt &dma = dmas[i];
    dma.desc = &desc;
    dma.total = 1;
    for (const DmaDim &d : desc.dims)
      dma.total *= d.size;
    if (desc.kind == DmaKind::GbToEdge || desc.kind == DmaKind::EdgeToGb) {
      dma.fifo = edgeFifo(desc.edge, desc.kind == DmaKind::EdgeToGb);
      for (int64_t j = int64_t(i) - 1; j >= 0; --j)
        if (dmas[j].fifo == dma.fifo) {
          dma.prevSameEdge = j;
          break;
        }
    }
  }
  waitingDmas.resize(dmas.size());
  std::iota(waitingDmas.begin(), waitingDmas.end(), 0);
  activeDmas.clear();
  dmaFinished = true;
  channelFree = 0;
  std::fill(bankBusyUntil.begin(), bankBusyUntil.end(), 0);

  int64_t now = 0;
  dmasPending = int64_t(dmas.size());
  while (running > 0 || dmasPending > 0) {
    if (now > options.maxCyclesPerPhase)
      return makeError("phase " + Twine(index) + " ran past " +
                       Twine(options.maxCyclesPerPhase) +
                       " cycles (SimOptions::maxCyclesPerPhase)");
    progress = false;
    curNow = now;
    stepRoutes(now);
    bool halted = false;
    // PEs not due this cycle (sleeping, waiting, halted, idle: kNever) are
    // skipped on one compare. A busy array is scanned densely, in index
    // order: the order of PEs within a stage does not matter, except to
    // the order of trace events, which is restored to the phase's order.
    size_t traced = result.trace.size();
    if (2 * active.size() > size_t(numPEs)) {
      const int64_t *w = wakes.data();
      for (int64_t i = 0; i < numPEs; ++i) {
        if (w[i] > now)
          continue;
        Pe &pe = pes[i];
        // The hot case, a streaming beat, inline: it never halts.
        if (pe.state == PeState::Exec && pe.beatFn) {
          pe.beatFn(*this, pe, now);
          continue;
        }
        stepPe(pe, now);
        halted |= pe.state == PeState::Halted;
      }
      if (result.trace.size() > traced + 1)
        std::stable_sort(result.trace.begin() + traced, result.trace.end(),
                         [&](const TraceEvent &x, const TraceEvent &y) {
                           return pes[x.tid].slot < pes[y.tid].slot;
                         });
    } else {
      for (int64_t i : active) {
        if (wakes[i] > now)
          continue;
        Pe &pe = pes[i];
        stepPe(pe, now);
        halted |= pe.state == PeState::Halted;
      }
    }
    if (halted)
      llvm::erase_if(
          active, [&](int64_t i) { return pes[i].state == PeState::Halted; });
    if (atBarrier && atBarrier == running)
      releaseBarrier(now);
    stepDmas(now);
    if (progress) {
      ++now;
      continue;
    }
    int64_t next = nextEvent(now);
    if (next == kNever)
      return makeError(deadlockReport(now));
    now = next;
  }

  // Flits left anywhere mean producers and consumers disagree.
  for (int64_t f : fifoUsed) {
    if (!fifos[f].count())
      continue;
    std::string where;
    if (f < numPEs * 8)
      where = "PE(" + std::to_string(f / 8 / cols) + "," +
              std::to_string(f / 8 % cols) + ") " + (f % 8 < 4 ? "in" : "out") +
              std::to_string(f % 4);
    else {
      int64_t e = (f - numPEs * 8) / 2;
      where = e < rows ? "west edge " + std::to_string(e)
                       : "north edge " + std::to_string(e - rows);
    }
    return makeError("phase " + Twine(index) + " ended with " +
                     Twine(fifos[f].count()) + " unconsumed flit(s) in " +
                     where);
  }

  int64_t cycles = 0;
  int64_t busy = 0;
  for (const PeProgram &p : phase.pes) {
    const Pe &pe = pes[p.row * cols + p.col];
    cycles = std::max(cycles, pe.finish);
    busy += pe.busy;
    ps.pes.push_back({p.row, p.col, pe.busy, pe.finish, pe.issued});
  }
  for (const DmaRt &dma : dmas)
    cycles = std::max(cycles, dma.finish);
  ps.cycles = cycles;
  ps.flops = phaseFlops;
  ps.utilization = cycles ? double(busy) / double(numPEs * cycles) : 0.0;
  busyTotal += busy;
  if (options.trace)
    traceSpan(phase.name.empty() ? "phase " + std::to_string(index)
                                 : phase.name,
              "phase", 0, 0, phaseBase, cycles);
  phaseBase += cycles;
  result.stats.phases.push_back(std::move(ps));
  return llvm::Error::success();
}

llvm::Expected<SimResult> Machine::run(llvm::ArrayRef<Tensor> inputs) {
  if (llvm::Error e = verify(program, arch))
    return e;
  if (llvm::Error e = loadInputs(inputs))
    return e;
  lm.assign(size_t(numPEs * lmWords), 0.0f);
  pes.assign(size_t(numPEs), Pe());
  wakes.assign(size_t(numPEs), kNever);
  laneBuffers.assign(size_t(numPEs * 5 * L), 0.0f);
  for (int64_t i = 0; i < numPEs; ++i) {
    pes[i].flitA = &laneBuffers[i * 5 * L];
    pes[i].outFlit = pes[i].flitA + L;
    pes[i].partial = pes[i].outFlit + L;
    pes[i].bcastA = pes[i].partial + L;
    pes[i].bcastB = pes[i].bcastA + L;
    pes[i].index = i;
    pes[i].row = i / cols;
    pes[i].col = i % cols;
  }
  bankBusyUntil.assign(size_t(arch.gbBanks), 0);
  dramBytesPerCycle = arch.dramBytesPerCycle();
  dramLatency =
      int64_t(std::ceil(arch.dramLatencyNs * arch.clockHz / 1e9 - 1e-9));
  if (options.trace) {
    result.traceThreads.emplace_back(0, 0, "phases");
    for (int64_t i = 0; i < numPEs; ++i)
      if (llvm::any_of(program.phases, [&](const Phase &ph) {
            return llvm::any_of(ph.pes, [&](const PeProgram &p) {
              return p.row * cols + p.col == i;
            });
          }))
        result.traceThreads.emplace_back(1, i,
                                         "PE(" + std::to_string(i / cols) +
                                             "," + std::to_string(i % cols) +
                                             ")");
  }

  for (auto [i, phase] : llvm::enumerate(program.phases))
    if (llvm::Error e = runPhase(int64_t(i), phase))
      return e;

  if (options.captureLocalMemory)
    result.localMemory = lm;
  for (const TensorSig &sig : program.outputs) {
    Tensor t = Tensor::zeros(sig.dtype, sig.shape);
    std::copy(dram.begin() + sig.dramAddr,
              dram.begin() + sig.dramAddr + sig.words(), t.data.begin());
    result.outputs.push_back(std::move(t));
  }

  SimStats &s = result.stats;
  int64_t configBytesTotal = 0;
  s.cycles = 0;
  for (const PhaseStats &p : s.phases) {
    s.cycles += p.configCycles + p.cycles;
    configBytesTotal += p.configBytes;
  }
  s.clockHz = arch.clockHz;
  s.seconds = double(s.cycles) / arch.clockHz;
  s.peakFlopsPerCycle = arch.peakFlopsPerCycle();
  s.peUtilization =
      s.cycles ? double(busyTotal) / double(numPEs * s.cycles) : 0.0;
  const arch::EnergyTable &e = arch.energy;
  EnergyBreakdown &en = s.energyPj;
  en.fpOps = double(laneOps) * e.fpOpPj;
  en.localMem = double(lmAccesses) * e.localMemAccessPj;
  en.globalBuffer = double(gbFlits) * e.gbAccessPerFlitPj;
  en.noc = double(s.nocFlitHops) * e.nocHopPerFlitPj;
  en.dram = double(s.dramBytes) * e.dramPerBytePj;
  en.leakage = double(numPEs) * double(s.cycles) * e.leakagePerPeCyclePj;
  en.config = double(configBytesTotal) * e.configPerBytePj;
  en.total = en.fpOps + en.localMem + en.globalBuffer + en.noc + en.dram +
             en.leakage + en.config;
  s.roofline = computeRoofline(program, arch, s);
  return std::move(result);
}

} // namespace

llvm::Expected<SimResult> sim::simulate(const Program &program,
                                        const arch::Arch &arch,
                                        llvm::ArrayRef<Tensor> inputs,
                                        const SimOptions &options) {
  Machine machine(program, arch, options);
  return machine.run(inputs);
}
