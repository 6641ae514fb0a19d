//===- Verify.cpp - Hardware-limit checks of a Program ----------*- C++ -*-===//
//
// verify() checks a Program against the arch it runs on, so that the
// simulator, the bitstream writer and the `dfa` verifiers can trust every
// index and range afterwards. Each problem is one line that names the phase,
// the PE (row, col), the instruction, the link or the DMA.
//
//===----------------------------------------------------------------------===//

#include "butterfly/Bitstream/Program.h"

#include "llvm/ADT/APInt.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringMap.h"

#include <algorithm>
#include <limits>
#include <map>
#include <optional>

using namespace butterfly;
using namespace butterfly::bitstream;
using llvm::Twine;

namespace {

constexpr size_t kMaxReported = 64;

constexpr int64_t kInt64Min = std::numeric_limits<int64_t>::min();
constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();

/// a + b, saturated to the int64 range. Every sum of user-controlled values
/// goes through this or checkedAdd: signed overflow is undefined and a
/// wrapped sum could pass a range check.
int64_t satAdd(int64_t a, int64_t b) {
  if (std::optional<int64_t> r = checkedAdd(a, b))
    return *r;
  return b < 0 ? kInt64Min : kInt64Max;
}

/// a + b exactly, as decimal text (for messages about sums that may not fit
/// int64).
std::string sumText(int64_t a, int64_t b) {
  llvm::APInt sum = llvm::APInt(65, uint64_t(a), /*isSigned=*/true) +
                    llvm::APInt(65, uint64_t(b), /*isSigned=*/true);
  llvm::SmallString<24> text;
  sum.toStringSigned(text);
  return std::string(text);
}

/// [lo, hi] (inclusive) of base + sum_i x_i * s_i over x_i in [0, n_i).
/// When a bound leaves the int64 range, `overflow` is set and the bounds
/// saturate (they then only say which side overflowed).
struct Span {
  int64_t lo = 0, hi = 0;
  bool overflow = false;
  /// Widens the span by x * stride, x in [0, count); false on overflow.
  bool add(int64_t count, int64_t stride) {
    if (count <= 0)
      return true;
    std::optional<int64_t> far = checkedMul(count - 1, stride);
    std::optional<int64_t> l, h;
    if (far) {
      l = checkedAdd(lo, std::min<int64_t>(0, *far));
      h = checkedAdd(hi, std::max<int64_t>(0, *far));
    }
    if (far && l && h) {
      lo = *l;
      hi = *h;
      return true;
    }
    overflow = true;
    if (stride < 0)
      lo = kInt64Min;
    else
      hi = kInt64Max;
    return false;
  }
};

/// "[lo, hi + 1)"; only meaningful for a span without overflow.
std::string spanText(const Span &s) {
  return "[" + std::to_string(s.lo) + ", " + sumText(s.hi, 1) + ")";
}

uint64_t linkKey(const Link &l) {
  auto enc = [](const Node &n) {
    return (uint64_t(n.row + 1) << 16) | uint64_t(n.col + 1);
  };
  return (enc(l.from) << 32) | enc(l.to);
}

std::string linkName(const Link &l) {
  return "link " + nodeCoords(l.from) + "->" + nodeCoords(l.to);
}

class Verifier {
public:
  Verifier(const Program &program, const arch::Arch &arch)
      : program(program), arch(arch) {}

  llvm::Error run() {
    if (checkArch()) {
      checkNames();
      checkBuffers();
      checkConstantsAndIo();
      for (auto [index, phase] : llvm::enumerate(program.phases))
        checkPhase(int64_t(index), phase);
    }
    if (errors.empty())
      return llvm::Error::success();
    std::string text;
    for (size_t i = 0; i < errors.size() && i < kMaxReported; ++i)
      text += (i ? "\n" : "") + errors[i];
    if (errors.size() > kMaxReported)
      text += "\n... and " + std::to_string(errors.size() - kMaxReported) +
              " more problems";
    return llvm::createStringError(llvm::inconvertibleErrorCode(), text);
  }

private:
  const Program &program;
  const arch::Arch &arch;
  std::vector<std::string> errors;
  int64_t lmWords = 0, gbWords = 0;

  void error(const Twine &message) { errors.push_back(message.str()); }

  //===--------------------------------------------------------------------===//
  // Arch and memories
  //===--------------------------------------------------------------------===//

  bool checkArch() {
    const arch::Arch &a = arch;
    if (a.rows < 1 || a.cols < 1 || a.lanes < 1 || a.lanes > kMaxLanes ||
        a.fifoDepth < 1 || a.localMemBanks < 1 || a.localMemBytes < 4 ||
        a.localMemBytes % 4 || a.gbBytes < 0 || a.gbBanks < 1 ||
        a.imemSlots < 0 || a.configBytesPerCycle < 1 || a.clockHz <= 0 ||
        a.dramGBps <= 0 || a.dramLatencyNs < 0 || a.expressMaxLog2 < 0) {
      error("arch '" + a.name +
            "' is not usable by the simulator (needs rows, cols, "
            "fifo_depth, local_mem_banks, gb_banks, config_bytes_per_cycle "
            ">= 1, lanes in [1, " +
            Twine(kMaxLanes) +
            "], a local memory of whole words, a positive clock and DRAM "
            "bandwidth)");
      return false;
    }
    lmWords = a.localMemBytes / 4;
    gbWords = a.gbBytes / 4;
    for (auto [compiled, actual] :
         llvm::zip_equal(arch::fingerprintParameters(program.arch),
                         arch::fingerprintParameters(a)))
      if (compiled.second != actual.second)
        error(Twine("program was compiled for ") + compiled.first + "=" +
              Twine(compiled.second) + ", but the arch has " + actual.first +
              "=" + Twine(actual.second));
    return errors.empty();
  }

  /// Buffers, constants, inputs, outputs and phases share one namespace (the
  /// dfa dialect makes them symbols of one table): names must be non-empty
  /// and distinct.
  void checkNames() {
    llvm::StringMap<std::string> owner;
    auto visit = [&](const std::string &name, const char *kind, size_t i) {
      std::string what = std::string(kind) + " " + std::to_string(i);
      if (name.empty()) {
        error(what + " has an empty name");
        return;
      }
      auto [it, fresh] = owner.try_emplace(name, what);
      if (!fresh)
        error("duplicate name '" + name + "': " + it->second + " and " + what);
    };
    for (auto [i, b] : llvm::enumerate(program.buffers))
      visit(b.name, "buffer", i);
    for (auto [i, c] : llvm::enumerate(program.constants))
      visit(c.name, "constant", i);
    for (auto [i, sig] : llvm::enumerate(program.inputs))
      visit(sig.name, "input", i);
    for (auto [i, sig] : llvm::enumerate(program.outputs))
      visit(sig.name, "output", i);
    for (auto [i, ph] : llvm::enumerate(program.phases))
      visit(ph.name, "phase", i);
  }

  /// Index of the buffer holding [s.lo, s.hi], or -1.
  int64_t bufferFor(const Span &s) const {
    if (s.overflow)
      return -1;
    for (auto [i, buf] : llvm::enumerate(program.buffers))
      if (s.lo >= buf.offset && s.hi < satAdd(buf.offset, buf.size))
        return int64_t(i);
    return -1;
  }

  void checkBuffers() {
    std::vector<size_t> order;
    for (auto [i, buf] : llvm::enumerate(program.buffers)) {
      std::optional<int64_t> end = checkedAdd(buf.offset, buf.size);
      if (buf.offset < 0 || buf.size < 0 || !end || *end > gbWords)
        error("GB buffer '" + buf.name + "' [" + Twine(buf.offset) + ", " +
              sumText(buf.offset, buf.size) +
              ") exceeds the global buffer of " + Twine(gbWords) + " words");
      order.push_back(i);
    }
    llvm::sort(order, [&](size_t x, size_t y) {
      return program.buffers[x].offset < program.buffers[y].offset;
    });
    for (size_t i = 1; i < order.size(); ++i) {
      const GbBuffer &prev = program.buffers[order[i - 1]];
      const GbBuffer &cur = program.buffers[order[i]];
      if (cur.offset < satAdd(prev.offset, prev.size))
        error("GB buffers '" + prev.name + "' and '" + cur.name + "' overlap");
    }
    if (program.dramWords < 0)
      error("dramWords is negative (" + Twine(program.dramWords) + ")");
  }

  void checkDramRange(const Twine &what, int64_t addr, int64_t words) {
    std::optional<int64_t> end = checkedAdd(addr, words);
    if (addr < 0 || words < 0 || !end || *end > program.dramWords)
      error(what + " occupies DRAM [" + Twine(addr) + ", " +
            sumText(addr, words) + "), outside the program's " +
            Twine(program.dramWords) + " DRAM words");
  }

  void checkConstantsAndIo() {
    for (const Constant &c : program.constants) {
      int64_t words = int64_t(c.data.size());
      if (c.space == MemSpace::Dram) {
        checkDramRange("constant '" + c.name + "'", c.addr, words);
      } else if (words > 0) {
        Span s{c.addr, c.addr};
        s.add(words, 1);
        if (bufferFor(s) < 0)
          error("constant '" + c.name + "' occupies GB [" + Twine(c.addr) +
                ", " + sumText(c.addr, words) +
                "), which is not inside one GB buffer");
      }
    }
    auto checkSig = [&](const TensorSig &sig, const char *role) {
      if (llvm::any_of(sig.shape, [](int64_t d) { return d < 0; })) {
        error(Twine(role) + " '" + sig.name + "' has a negative dimension");
        return;
      }
      int64_t words = sig.words();
      if (words < 0) {
        error(Twine(role) + " '" + sig.name +
              "' has more than 2^63-1 words (the product of its "
              "dimensions overflows int64)");
        return;
      }
      checkDramRange(Twine(role) + " '" + sig.name + "'", sig.dramAddr, words);
    };
    for (const TensorSig &sig : program.inputs)
      checkSig(sig, "input");
    for (const TensorSig &sig : program.outputs)
      checkSig(sig, "output");
  }

  //===--------------------------------------------------------------------===//
  // Phases
  //===--------------------------------------------------------------------===//

  bool isPe(const Node &n) const {
    return n.row >= 0 && n.row < arch.rows && n.col >= 0 && n.col < arch.cols;
  }
  bool isEdge(const Node &n) const {
    return (n.col == -1 && n.row >= 0 && n.row < arch.rows) ||
           (n.row == -1 && n.col >= 0 && n.col < arch.cols);
  }

  /// True when from->to is a mesh link, or an express link the arch has.
  bool isLink(const Link &l) const {
    const Node &a = l.from, &b = l.to;
    if (isEdge(a) || isEdge(b)) {
      if (isEdge(a) && isEdge(b))
        return false;
      const Node &e = isEdge(a) ? a : b, &p = isEdge(a) ? b : a;
      if (!isPe(p))
        return false;
      return e.col == -1 ? (p.row == e.row && p.col == 0)
                         : (p.col == e.col && p.row == 0);
    }
    if (!isPe(a) || !isPe(b))
      return false;
    int64_t dr = std::abs(a.row - b.row), dc = std::abs(a.col - b.col);
    if (dr + dc == 1)
      return true;
    if (!arch.nocExpress || (dr && dc))
      return false;
    int64_t d = dr + dc;
    for (int64_t k = 1; k <= arch.expressMaxLog2; ++k)
      if (d == (int64_t(1) << k))
        return true;
    return false;
  }

  /// The instruction that first uses a port (named in messages).
  struct FirstUse {
    int64_t index = 0;
    const Instruction *inst = nullptr;
    std::string text() const {
      return "instruction " + std::to_string(index) + " `" + toString(*inst) +
             "`";
    }
  };

  struct PortUse {
    // Per PE index: in-ports read, out-ports written (bit masks).
    std::vector<unsigned> inRead, outWritten;
    std::vector<bool> hasProgram;
  };

  void checkPhase(int64_t phaseIndex, const Phase &phase) {
    std::string prefix = "phase " + std::to_string(phaseIndex) + ": ";
    int64_t numPEs = arch.rows * arch.cols;
    PortUse use;
    use.inRead.assign(numPEs, 0);
    use.outWritten.assign(numPEs, 0);
    use.hasProgram.assign(numPEs, false);
    // Which instruction first reads/writes each port, for the messages.
    std::map<std::pair<int64_t, int>, FirstUse> firstUse;

    for (const PeProgram &pe : phase.pes) {
      Node node{pe.row, pe.col};
      if (!isPe(node)) {
        error(prefix + nodeName(node) + " is outside the " + Twine(arch.rows) +
              "x" + Twine(arch.cols) + " array");
        continue;
      }
      int64_t idx = pe.row * arch.cols + pe.col;
      if (use.hasProgram[idx]) {
        error(prefix + nodeName(node) + " has two programs");
        continue;
      }
      use.hasProgram[idx] = true;
      checkPe(prefix + nodeName(node) + ": ", pe, use.inRead[idx],
              use.outWritten[idx], idx, firstUse);
    }

    // Routes.
    llvm::DenseMap<uint64_t, int64_t> linkOwner;
    std::map<std::pair<uint64_t, int64_t>, int64_t> srcOwner, dstOwner;
    std::vector<unsigned> delivered(numPEs, 0), sourced(numPEs, 0);
    std::vector<Node> edgeSources, edgeSinks;
    auto nodeKey = [](const Node &n) {
      return (uint64_t(n.row + 1) << 32) | uint64_t(n.col + 1);
    };
    for (auto [ri, route] : llvm::enumerate(phase.routes)) {
      std::string rp = prefix + "route " + std::to_string(ri) + ": ";
      if (!checkRoute(rp, route))
        continue;
      auto srcKey = std::make_pair(nodeKey(route.src.node), route.src.port);
      auto [it, fresh] = srcOwner.insert({srcKey, int64_t(ri)});
      if (!fresh)
        error(rp + endpointName(route.src, true) +
              " is already the source of route " + Twine(it->second));
      if (isPe(route.src.node))
        sourced[route.src.node.row * arch.cols + route.src.node.col] |=
            1u << route.src.port;
      else
        edgeSources.push_back(route.src.node);
      for (const Endpoint &d : route.dsts) {
        auto key = std::make_pair(nodeKey(d.node), d.port);
        auto [dit, dfresh] = dstOwner.insert({key, int64_t(ri)});
        if (!dfresh)
          error(rp + endpointName(d, false) +
                " is already the destination of route " + Twine(dit->second));
        if (isPe(d.node)) {
          int64_t idx = d.node.row * arch.cols + d.node.col;
          delivered[idx] |= 1u << d.port;
          if (!use.hasProgram[idx])
            error(rp + "delivers to " + nodeName(d.node) +
                  ", which has no program in this phase");
        } else {
          edgeSinks.push_back(d.node);
        }
      }
      for (const Link &l : route.links) {
        auto [lit, lfresh] = linkOwner.insert({linkKey(l), int64_t(ri)});
        if (!lfresh)
          error(prefix + linkName(l) + " carries two streams (routes " +
                Twine(lit->second) + " and " + Twine(ri) +
                "); a link direction carries one stream per phase");
      }
    }

    // Every port an instruction uses must be connected.
    for (int64_t idx = 0; idx < numPEs; ++idx) {
      for (int p = 0; p < kNumPorts; ++p) {
        Node node{idx / arch.cols, idx % arch.cols};
        if ((use.inRead[idx] >> p & 1) && !(delivered[idx] >> p & 1))
          error(prefix + nodeName(node) + ": " + firstUse[{idx, p}].text() +
                " reads in" + Twine(p) + ", but no route delivers to " +
                nodeName(node) + " in" + Twine(p));
        if ((use.outWritten[idx] >> p & 1) && !(sourced[idx] >> p & 1))
          error(prefix + nodeName(node) + ": " + firstUse[{idx, 4 + p}].text() +
                " writes out" + Twine(p) + ", but no route starts at " +
                nodeName(node) + " out" + Twine(p));
      }
    }

    // DMAs.
    std::vector<Node> dmaSources, dmaSinks;
    for (auto [di, dma] : llvm::enumerate(phase.dmas)) {
      std::string dp = prefix + "DMA " + std::to_string(di) + " (" +
                       dmaKindName(dma.kind) + "): ";
      checkDma(dp, int64_t(di), dma, edgeSources, edgeSinks);
      if (dma.kind == DmaKind::GbToEdge)
        dmaSources.push_back(dma.edge);
      if (dma.kind == DmaKind::EdgeToGb)
        dmaSinks.push_back(dma.edge);
    }
    for (auto [ri, route] : llvm::enumerate(phase.routes)) {
      if (isEdge(route.src.node) &&
          !llvm::is_contained(dmaSources, route.src.node))
        error(prefix + "route " + Twine(ri) + " starts at " +
              nodeName(route.src.node) + ", but no gb->edge DMA feeds it");
      for (const Endpoint &d : route.dsts)
        if (isEdge(d.node) && !llvm::is_contained(dmaSinks, d.node))
          error(prefix + "route " + Twine(ri) + " ends at " + nodeName(d.node) +
                ", but no edge->gb DMA drains it");
    }
  }

  std::string endpointName(const Endpoint &e, bool source) const {
    if (isPe(e.node))
      return nodeName(e.node) + (source ? " out" : " in") +
             std::to_string(e.port);
    return nodeName(e.node);
  }

  bool checkEndpoint(const std::string &rp, const Endpoint &e, bool source) {
    bool pe = isPe(e.node), edge = isEdge(e.node);
    if (!pe && !edge) {
      error(rp + (source ? "source " : "destination ") + nodeCoords(e.node) +
            " is neither a PE nor an edge port");
      return false;
    }
    int64_t ports = pe ? kNumPorts : 1;
    if (e.port < 0 || e.port >= ports) {
      error(rp + (source ? "source " : "destination ") + nodeName(e.node) +
            (pe ? (source ? " out" : " in") + Twine(e.port) +
                      " is not a port (a PE has " + Twine(kNumPorts) + ")"
                : Twine(" port ") + Twine(e.port) +
                      " is not a port (an edge port is port 0)"));
      return false;
    }
    return true;
  }

  bool checkRoute(const std::string &rp, const Route &route) {
    bool ok = checkEndpoint(rp, route.src, true);
    if (route.dsts.empty()) {
      error(rp + "has no destination");
      ok = false;
    }
    for (const Endpoint &d : route.dsts)
      ok &= checkEndpoint(rp, d, false);
    if (!ok)
      return false;
    // Links in tree order: each starts at the source or at an earlier
    // link's end, and no node is entered twice.
    std::vector<Node> reached = {route.src.node};
    for (const Link &l : route.links) {
      if (!isLink(l)) {
        error(rp + linkName(l) + " is not a link of the mesh" +
              (arch.nocExpress ? "" : " (express links are disabled)"));
        return false;
      }
      if (!llvm::is_contained(reached, l.from)) {
        error(rp + "route is not contiguous: " + linkName(l) + " starts at " +
              nodeCoords(l.from) + ", which no earlier link reaches from " +
              nodeCoords(route.src.node));
        return false;
      }
      if (llvm::is_contained(reached, l.to)) {
        error(rp + linkName(l) + " enters " + nodeCoords(l.to) +
              ", which the route already reaches (a route is a tree)");
        return false;
      }
      if (isEdge(l.from) && l.from != route.src.node) {
        error(rp + linkName(l) + " passes through an edge port");
        return false;
      }
      reached.push_back(l.to);
    }
    for (const Endpoint &d : route.dsts)
      if (!llvm::is_contained(reached, d.node)) {
        error(rp + "destination " + endpointName(d, false) +
              " is not reached by the route's links");
        ok = false;
      }
    // A branch that leads to no destination wastes a link.
    std::vector<bool> useful(route.links.size(), false);
    auto isDst = [&](const Node &n) {
      return llvm::any_of(route.dsts,
                          [&](const Endpoint &d) { return d.node == n; });
    };
    for (size_t i = route.links.size(); i-- > 0;) {
      const Link &l = route.links[i];
      bool u = isDst(l.to);
      for (size_t j = i + 1; j < route.links.size(); ++j)
        if (route.links[j].from == l.to && useful[j])
          u = true;
      useful[i] = u;
      if (!u) {
        error(rp + linkName(l) + " leads to no destination");
        ok = false;
      }
    }
    return ok;
  }

  //===--------------------------------------------------------------------===//
  // PE programs
  //===--------------------------------------------------------------------===//

  void checkPe(const std::string &pp, const PeProgram &pe, unsigned &inRead,
               unsigned &outWritten, int64_t peIndex,
               std::map<std::pair<int64_t, int>, FirstUse> &firstUse) {
    int64_t count = int64_t(pe.instructions.size());
    if (count > arch.imemSlots)
      error(pp + Twine(count) + " instructions exceed the " +
            Twine(arch.imemSlots) + " instruction slots");
    for (const MemInit &init : pe.memInit) {
      int64_t size = int64_t(init.data.size());
      std::optional<int64_t> end = checkedAdd(init.addr, size);
      if (init.addr < 0 || !end || *end > lmWords)
        error(pp + "local-memory image [" + Twine(init.addr) + ", " +
              sumText(init.addr, size) + ") is outside local memory (" +
              Twine(lmWords) + " words)");
    }
    // Loop structure: the stack holds (end, count) of enclosing loops.
    std::vector<std::pair<int64_t, int64_t>> loops;
    for (int64_t i = 0; i < count; ++i) {
      while (!loops.empty() && loops.back().first <= i)
        loops.pop_back();
      const Instruction &inst = pe.instructions[i];
      // Messages name the instruction; its text is only built for one.
      auto what = [&] {
        return "instruction " + std::to_string(i) + " `" + toString(inst) + "`";
      };
      auto ip = [&] { return pp + what() + ": "; };
      int64_t c0 = loops.size() >= 1 ? loops.back().second : 0;
      int64_t c1 = loops.size() >= 2 ? loops[loops.size() - 2].second : 0;
      checkInstruction(ip, inst, c0, c1);
      for (int w = 0; w < 3; ++w) {
        const Operand &op = w == 0 ? inst.dst : w == 1 ? inst.a : inst.b;
        if (!op.isPort())
          continue;
        if (w == 0) {
          for (int p = 0; p < kNumPorts; ++p)
            if ((op.base >> p & 1) && !(outWritten >> p & 1)) {
              outWritten |= 1u << p;
              firstUse[{peIndex, 4 + p}] = {i, &inst};
            }
        } else if (op.base >= 0 && op.base < kNumPorts &&
                   !(inRead >> op.base & 1)) {
          inRead |= 1u << op.base;
          firstUse[{peIndex, int(op.base)}] = {i, &inst};
        }
      }
      if (inst.op == Opcode::Loop && inst.p1 >= 1) {
        if (inst.p1 > count - (i + 1)) {
          error(ip() + "loop body [" + Twine(i + 1) + ", " +
                sumText(i + 1, inst.p1) +
                ") runs past the end of the program (" + Twine(count) +
                " instructions)");
          continue;
        }
        int64_t end = i + 1 + inst.p1;
        if (!loops.empty() && end > loops.back().first)
          error(ip() + "loop body [" + Twine(i + 1) + ", " + Twine(end) +
                ") is not nested inside the enclosing loop body, which ends "
                "at " +
                Twine(loops.back().first));
        else if (int64_t(loops.size()) >= kMaxLoopDepth)
          error(ip() + "loops nest deeper than the " + Twine(kMaxLoopDepth) +
                " hardware loop levels");
        else
          loops.push_back({end, inst.p0});
      }
    }
  }

  void checkInstruction(llvm::function_ref<std::string()> ip,
                        const Instruction &inst, int64_t c0, int64_t c1) {
    Opcode op = inst.op;
    if (!isValidOpcode(uint8_t(op))) {
      error(ip() + "unknown opcode " + Twine(unsigned(op)));
      return;
    }
    auto fits16 = [&](int64_t v, const char *name) {
      if (v < 0 || v > 0xffff)
        error(ip() + name + "=" + Twine(v) + " does not fit 16 bits");
    };
    fits16(inst.n, "n");
    fits16(inst.p0, "p0");
    fits16(inst.p1, "p1");
    // Sizes derived from n, p0 and p1 (operand words, m*k) are only formed
    // when the three fit their fields, so that no product can overflow.
    bool fieldsFit = inst.n >= 0 && inst.n <= 0xffff && inst.p0 >= 0 &&
                     inst.p0 <= 0xffff && inst.p1 >= 0 && inst.p1 <= 0xffff;

    bool control = op == Opcode::Nop || op == Opcode::Halt ||
                   op == Opcode::Barrier || op == Opcode::Loop;
    if (control) {
      if (!inst.dst.isNone() || !inst.a.isNone() || !inst.b.isNone() ||
          inst.flags || inst.n)
        error(ip() + opcodeName(op) + " takes no operands, flags or n");
      if (op == Opcode::Loop) {
        if (inst.p0 < 1)
          error(ip() + "loop count must be at least 1");
        if (inst.p1 < 1)
          error(ip() + "loop body must hold at least one instruction");
      } else if (inst.p0 || inst.p1) {
        error(ip() + opcodeName(op) + " takes no parameters");
      }
      return;
    }
    if (inst.n < 1)
      error(ip() + "n must be at least 1");

    // Flags and parameters.
    uint8_t allowed = op == Opcode::Bfly
                          ? (flag::Complex | flag::PerPair | flag::Matrix)
                      : op == Opcode::BitRev ? flag::Complex
                      : op == Opcode::Gemm   ? flag::GemmInit
                                             : 0;
    if (inst.flags & ~allowed)
      error(ip() + "flags " + Twine(unsigned(inst.flags)) +
            " are not valid for " + opcodeName(op));
    if (op == Opcode::Bfly) {
      if (inst.p0 < 1 || inst.p0 > 0xffff || inst.n % (2 * inst.p0))
        error(ip() + "n=" + Twine(inst.n) +
              " must be a multiple of 2*stride (stride=" + Twine(inst.p0) +
              ")");
      if (inst.p1)
        error(ip() + "bfly takes no p1");
    } else if (op == Opcode::BitRev) {
      if (inst.n < 1 || (inst.n & (inst.n - 1)))
        error(ip() + "bitrev needs a power-of-two n, got " + Twine(inst.n));
      if (inst.p0 || inst.p1)
        error(ip() + "bitrev takes no parameters");
    } else if (op == Opcode::Gemm) {
      if (inst.p0 < 1 || inst.p1 < 1)
        error(ip() + "gemm needs m >= 1 and k >= 1");
    } else if (inst.p0 || inst.p1) {
      error(ip() + Twine(opcodeName(op)) + " takes no parameters");
    }

    // Operand kinds.
    constexpr unsigned N = 1 << 0, M = 1 << 1, P = 1 << 2, I = 1 << 3;
    unsigned kinds[3];
    switch (op) {
    case Opcode::Mov:
    case Opcode::VExp:
    case Opcode::VRcp:
    case Opcode::VRsqrt:
    case Opcode::VTanh:
    case Opcode::VErf:
      kinds[0] = M | P, kinds[1] = M | P | I, kinds[2] = N;
      break;
    case Opcode::VFma:
      kinds[0] = M, kinds[1] = M | P | I, kinds[2] = M | P | I;
      break;
    case Opcode::ReduceSum:
    case Opcode::ReduceMax:
      kinds[0] = M | P, kinds[1] = M | P, kinds[2] = N;
      break;
    case Opcode::Bfly:
      kinds[0] = M | P, kinds[1] = M, kinds[2] = M;
      break;
    case Opcode::BitRev:
      kinds[0] = M | P, kinds[1] = M, kinds[2] = N;
      break;
    case Opcode::Gemm:
      kinds[0] = M, kinds[1] = M | P, kinds[2] = M | P;
      break;
    default: // vadd vsub vmul vmax vmin
      kinds[0] = M | P, kinds[1] = M | P | I, kinds[2] = M | P | I;
      break;
    }
    static const char *names[3] = {"dst", "a", "b"};
    static const char *kindNames[4] = {"none", "local memory", "a port",
                                       "an immediate"};
    bool unitStride =
        op == Opcode::Bfly || op == Opcode::BitRev || op == Opcode::Gemm;
    const Operand *ops[3] = {&inst.dst, &inst.a, &inst.b};
    for (int w = 0; w < 3; ++w) {
      const Operand &o = *ops[w];
      unsigned k = unsigned(o.kind);
      std::string on = std::string("operand ") + names[w] + " ";
      if (k > 3) {
        error(ip() + on + "has an invalid kind");
        continue;
      }
      if (!(kinds[w] >> k & 1)) {
        error(ip() + on + "of " + opcodeName(op) + " cannot be " +
              kindNames[k]);
        continue;
      }
      if (o.kind != OperandKind::Imm && o.imm != 0)
        error(ip() + on + "has an immediate value but is not an immediate");
      if (o.kind != OperandKind::Mem && (o.stride || o.inc0 || o.inc1))
        error(ip() + on +
              "has a stride or loop increment but is not in "
              "local memory");
      if (o.kind == OperandKind::Imm && o.base)
        error(ip() + on + "is an immediate with a non-zero base");
      if (o.kind == OperandKind::Port) {
        if (w == 0 && (o.base < 1 || o.base >= (1 << kNumPorts)))
          error(ip() + on + "out-port mask " + Twine(o.base) +
                " must name one to four of out0..out3");
        if (w > 0 && (o.base < 0 || o.base >= kNumPorts))
          error(ip() + on + "reads in" + Twine(o.base) +
                ", but a PE has in-ports in0..in3");
      }
      if (o.kind == OperandKind::Mem)
        checkMemOperand(ip, on, inst, w, o, c0, c1, unitStride, fieldsFit);
    }
    if (inst.a.isPort() && inst.b.isPort() && inst.a.base == inst.b.base)
      error(ip() + "operands a and b both read in" + Twine(inst.a.base));
    if (op == Opcode::Gemm && fieldsFit) {
      int64_t lanes = arch.lanes;
      if (inst.a.isPort() && (inst.p0 * inst.p1) % lanes &&
          inst.p0 * inst.p1 > lanes)
        error(ip() + "a streamed a operand needs m*k (" +
              Twine(inst.p0 * inst.p1) + ") to be a multiple of lanes (" +
              Twine(lanes) + ") or at most one flit");
      if (inst.b.isPort() && (inst.p0 != 1 || inst.n % lanes))
        error(ip() +
              "a streamed b operand needs m=1 and n a multiple of lanes"
              " (" +
              Twine(lanes) + ")");
    }
  }

  void checkMemOperand(llvm::function_ref<std::string()> ip,
                       const std::string &on, const Instruction &inst,
                       int which, const Operand &o, int64_t c0, int64_t c1,
                       bool unitStride, bool fieldsFit) {
    if (o.base < 0 || o.base >= (int64_t(1) << 20))
      error(ip() + on + "base " + Twine(o.base) + " does not fit 20 bits");
    if (o.stride < -2048 || o.stride > 2047)
      error(ip() + on + "stride " + Twine(o.stride) +
            " does not fit a signed 12-bit field");
    if (o.inc0 < -8192 || o.inc0 > 8191 || o.inc1 < -8192 || o.inc1 > 8191)
      error(ip() + on + "loop increments do not fit signed 14-bit fields");
    if (unitStride && o.stride != 1)
      error(ip() + on + "of " + opcodeName(inst.op) +
            " must be contiguous (stride 1)");
    if (o.inc0 && c0 == 0)
      error(ip() + on + "has inc0 but no enclosing loop");
    if (o.inc1 && c1 == 0)
      error(ip() + on + "has inc1 but no second enclosing loop");
    if (!fieldsFit)
      return; // n, p0 or p1 is already reported; its extent means nothing
    Span s{o.base, o.base};
    s.add(operandWords(inst, which), o.stride);
    s.add(c0, o.inc0);
    s.add(c1, o.inc1);
    if (s.overflow)
      error(ip() + on + "covers local memory beyond the int64 range" +
            (c0 ? " over its loop iterations" : "") + ", outside [0, " +
            Twine(lmWords) + ")");
    else if (s.lo < 0 || s.hi >= lmWords)
      error(ip() + on + "covers local memory " + spanText(s) +
            (c0 ? " over its loop iterations" : "") + ", outside [0, " +
            Twine(lmWords) + ")");
  }

  //===--------------------------------------------------------------------===//
  // DMAs
  //===--------------------------------------------------------------------===//

  void checkDma(const std::string &dp, int64_t index, const Dma &dma,
                const std::vector<Node> &edgeSources,
                const std::vector<Node> &edgeSinks) {
    if (unsigned(dma.kind) > 3) {
      error(dp + "invalid kind");
      return;
    }
    if (dma.dims.empty() || dma.dims.size() > size_t(kMaxDmaDims)) {
      error(dp + "needs 1 to " + Twine(kMaxDmaDims) + " dimensions, has " +
            Twine(dma.dims.size()));
      return;
    }
    int64_t elements = 1;
    for (const DmaDim &d : dma.dims) {
      if (d.size < 1 || d.size > (int64_t(1) << 32)) {
        error(dp + "dimension size " + Twine(d.size) + " is not in [1, 2^32]");
        return;
      }
      std::optional<int64_t> product = checkedMul(elements, d.size);
      elements = product ? *product : kInt64Max;
      if (elements > (int64_t(1) << 40)) {
        error(dp + "moves more than 2^40 elements");
        return;
      }
    }
    for (auto [i, w] : llvm::enumerate(dma.waitFor)) {
      if (w < 0 || w >= index)
        error(dp + "waits for DMA " + Twine(w) +
              ", which is not an earlier DMA of the phase");
      else if (llvm::is_contained(llvm::ArrayRef(dma.waitFor).take_front(i), w))
        error(dp + "waits for DMA " + Twine(w) + " twice");
    }
    // The addresses the pattern covers; the first dimension whose extent
    // takes them past int64 is named instead of a (meaningless) range.
    auto patternSpan = [&](int64_t base, bool dram, std::string &overflow) {
      Span s{base, base};
      for (auto [i, d] : llvm::enumerate(dma.dims))
        if (!s.add(d.size, dram ? d.dramStride : d.gbStride)) {
          overflow = " overflows int64 at dimension " + std::to_string(i) +
                     " (size " + std::to_string(d.size) + ", " +
                     (dram ? "DRAM" : "GB") + " stride " +
                     std::to_string(dram ? d.dramStride : d.gbStride) + ")";
          break;
        }
      return s;
    };
    std::string gbOverflow;
    Span gb = patternSpan(dma.gbAddr, false, gbOverflow);
    if (gb.overflow)
      error(dp + "global-buffer range" + gbOverflow +
            ", so it is not inside one GB buffer");
    else if (bufferFor(gb) < 0)
      error(dp + "global-buffer range " + spanText(gb) +
            " is not inside one GB buffer");
    bool edgeKind =
        dma.kind == DmaKind::GbToEdge || dma.kind == DmaKind::EdgeToGb;
    if (!edgeKind) {
      if (dma.edge != Node{0, 0})
        error(dp + "a DRAM transfer has no edge port (edge must be (0,0))");
      std::string dramOverflow;
      Span dram = patternSpan(dma.dramAddr, true, dramOverflow);
      if (dram.overflow)
        error(dp + "DRAM range" + dramOverflow + ", outside the " +
              Twine(program.dramWords) + " DRAM words");
      else if (dram.lo < 0 || dram.hi >= program.dramWords)
        error(dp + "DRAM range " + spanText(dram) + " is outside the " +
              Twine(program.dramWords) + " DRAM words");
      return;
    }
    if (dma.dramAddr || llvm::any_of(dma.dims, [](const DmaDim &d) {
          return d.dramStride != 0;
        }))
      error(dp + "an edge stream has no DRAM address or strides");
    if (!isEdge(dma.edge)) {
      error(dp + nodeCoords(dma.edge) +
            " is not an edge port ((row,-1) west or (-1,col) north)");
      return;
    }
    if (dma.kind == DmaKind::GbToEdge &&
        !llvm::is_contained(edgeSources, dma.edge))
      error(dp + "no route starts at " + nodeName(dma.edge));
    if (dma.kind == DmaKind::EdgeToGb &&
        !llvm::is_contained(edgeSinks, dma.edge))
      error(dp + "no route ends at " + nodeName(dma.edge));
  }
};

} // namespace

llvm::Error bitstream::verify(const Program &program, const arch::Arch &arch) {
  return Verifier(program, arch).run();
}
