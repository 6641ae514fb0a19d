//===- HybridSparsity.cpp - Per-layer sparsity selection --------*- C++ -*-===//
//
// Finds the encoder layers of a model, decides for each whether its token
// mixer stays softmax attention or becomes Fourier mixing and whether its
// linears become butterfly-sparse, and rewrites the IR accordingly. Decisions
// come from a policy (fabnet, cost, manual, dense); the cost policy asks the
// CostModel for every alternative on the target arch. Every decision is a
// remark with the modelled costs, and optionally a JSON report.
//
//===----------------------------------------------------------------------===//

#include "butterfly/Dialect/Butterfly/Transforms/Passes.h"

#include "butterfly/Arch/Arch.h"
#include "butterfly/CostModel/CostModel.h"
#include "butterfly/Reference/Projection.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/ToolOutputFile.h"

namespace butterfly::bfly {
#define GEN_PASS_DEF_BFLYHYBRIDSPARSITY
#include "butterfly/Dialect/Butterfly/Transforms/Passes.h.inc"
} // namespace butterfly::bfly

using namespace mlir;
using namespace butterfly;
using namespace butterfly::bfly;
namespace json = llvm::json;

namespace {

enum class Policy { Fabnet, Cost, Manual, Dense };
enum class Mixer { Attention, Fourier };

StringRef mixerName(Mixer mixer) {
  return mixer == Mixer::Attention ? "attention" : "fourier";
}

/// The discardable attribute frontends use to mark layer membership.
constexpr StringLiteral kLayerAttr = "bfly.layer";

/// One encoder layer: a token mixer and the linears that belong to it.
struct Layer {
  int64_t index = 0;
  Operation *mixer = nullptr; ///< AttentionOp or FourierMixOp
  /// All linears (dense or butterfly) of the layer, in program order.
  SmallVector<Operation *> linears;
  /// The q, k, v projections and the output projection (the linear that
  /// consumes the attention output through reshapes and transposes), when
  /// the block can become Fourier mixing.
  SmallVector<Operation *> projections;
  Operation *outProjection = nullptr;
  /// The common input of the q, k, v projections: what Fourier mixing mixes.
  Value mixerInput;
  /// Why attention cannot become Fourier mixing (empty when it can).
  std::string noFourierReason;

  bool hasAttention() const { return isa_and_nonnull<AttentionOp>(mixer); }
  /// Whether `op` goes away when the block becomes Fourier mixing.
  bool isReplacedByFourier(Operation *op) const {
    return op == outProjection || llvm::is_contained(projections, op);
  }
};

bool isLinear(Operation *op) {
  return isa_and_nonnull<LinearOp, ButterflyLinearOp>(op);
}

/// Follows a value back through reshapes and transposes to its producer.
Operation *producerThroughMovement(Value value) {
  while (Operation *def = value.getDefiningOp()) {
    if (!isa<ReshapeOp, TransposeOp>(def))
      return def;
    value = def->getOperand(0);
  }
  return nullptr;
}

/// The linears feeding q, k and v of `attention` (through reshapes and
/// transposes), null where an operand is not a projection.
SmallVector<Operation *, 3> projectionsOf(AttentionOp attention) {
  SmallVector<Operation *, 3> result;
  for (Value operand :
       {attention.getQuery(), attention.getKey(), attention.getValue()}) {
    Operation *producer = producerThroughMovement(operand);
    result.push_back(isLinear(producer) ? producer : nullptr);
  }
  return result;
}

/// The single linear that `value` flows into through reshapes and transposes.
Operation *consumingLinear(Value value) {
  while (value.hasOneUse()) {
    Operation *user = *value.getUsers().begin();
    if (isLinear(user))
      return user->getOperand(0) == value ? user : nullptr;
    if (!isa<ReshapeOp, TransposeOp>(user))
      return nullptr;
    value = user->getResult(0);
  }
  return nullptr;
}

/// Whether the attention block of `layer` can become Fourier mixing: q, k, v
/// projections of one [B, L, D] input and an output projection back to that
/// shape, all members of the layer, and no mask.
void matchAttentionBlock(Layer &layer) {
  auto attention = cast<AttentionOp>(layer.mixer);
  auto fail = [&](StringRef reason) { layer.noFourierReason = reason.str(); };
  SmallVector<Operation *, 3> projections = projectionsOf(attention);
  if (llvm::is_contained(projections, nullptr))
    return fail("q, k or v is not a linear projection");
  Value input = projections.front()->getOperand(0);
  if (llvm::any_of(projections,
                   [&](Operation *p) { return p->getOperand(0) != input; }))
    return fail("q, k and v project different inputs (cross-attention)");
  Operation *outProjection = consumingLinear(attention.getResult());
  auto inputType = cast<RankedTensorType>(input.getType());
  if (!outProjection || inputType.getRank() != 3 ||
      !inputType.hasStaticShape() ||
      outProjection->getResult(0).getType() != inputType)
    return fail("no output projection back to the [B, L, D] input shape");
  projections.push_back(outProjection);
  if (llvm::any_of(projections, [&](Operation *p) {
        return !llvm::is_contained(layer.linears, p);
      }))
    return fail("a projection belongs to another layer");
  if (attention.getMask() || attention.getCausal())
    return fail("masked or causal attention has no Fourier equivalent");
  projections.pop_back();
  layer.projections.assign(projections.begin(), projections.end());
  layer.outProjection = outProjection;
  layer.mixerInput = input;
}

/// Groups the mixers and linears of `func` into layers: by `bfly.layer`
/// markers when the function has any, otherwise each mixer opens a layer,
/// the linears feeding an attention's q, k and v join its layer, and other
/// linears join the last mixer before them. Linears before the first mixer
/// (embeddings) belong to no layer.
FailureOr<SmallVector<Layer>> findLayers(func::FuncOp func) {
  SmallVector<Layer> layers;
  bool marked = false;
  func.walk([&](Operation *op) { marked |= op->hasAttr(kLayerAttr); });
  if (marked) {
    std::map<int64_t, Layer> byIndex;
    func.walk([&](Operation *op) {
      auto marker = op->getAttrOfType<IntegerAttr>(kLayerAttr);
      // Markers on other ops (adds, norms) carry no decision.
      if (!marker || !(isLinear(op) || isa<AttentionOp, FourierMixOp>(op)))
        return;
      Layer &layer = byIndex[marker.getInt()];
      if (isLinear(op))
        layer.linears.push_back(op);
      else
        layer.mixer = op;
    });
    for (auto &[index, layer] : byIndex) {
      if (!layer.mixer)
        return layer.linears.front()->emitError("bfly-hybrid-sparsity: ")
               << kLayerAttr << " = " << index
               << " marks linears but no attention or fourier_mix";
      layers.push_back(std::move(layer));
    }
  } else {
    func.walk([&](Operation *op) {
      if (isa<AttentionOp, FourierMixOp>(op)) {
        layers.emplace_back();
        layers.back().mixer = op;
      } else if (isLinear(op) && !layers.empty()) {
        layers.back().linears.push_back(op);
      }
    });
    // Projections precede their attention in program order: move them into
    // the attention's layer.
    for (Layer &layer : layers) {
      if (!layer.hasAttention())
        continue;
      SmallVector<Operation *, 3> feeding =
          projectionsOf(cast<AttentionOp>(layer.mixer));
      for (Operation *projection : llvm::reverse(feeding)) {
        if (!projection || llvm::is_contained(layer.linears, projection))
          continue;
        for (Layer &other : layers)
          llvm::erase(other.linears, projection);
        layer.linears.insert(layer.linears.begin(), projection);
      }
    }
  }
  for (auto [index, layer] : llvm::enumerate(layers)) {
    layer.index = index;
    if (layer.hasAttention())
      matchAttentionBlock(layer);
  }
  return layers;
}

//===----------------------------------------------------------------------===//
// Cost of the alternatives
//===----------------------------------------------------------------------===//

struct Alternative {
  Mixer mixer;
  bool butterflyLinears;
  cost::Cost modelled;
};

int64_t numTokens(RankedTensorType type) {
  return type.getNumElements() / type.getShape().back();
}

cost::Workload linearWorkload(Operation *op, bool butterfly) {
  auto inputType = cast<RankedTensorType>(op->getOperand(0).getType());
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  cost::Workload work;
  work.kind = butterfly ? cost::OpKind::ButterflyLinear : cost::OpKind::Linear;
  work.tokens = numTokens(inputType);
  work.inFeatures = inputType.getShape().back();
  work.outFeatures = resultType.getShape().back();
  if (auto existing = dyn_cast<ButterflyLinearOp>(op))
    work.nblocks = existing.getNumBlocks();
  return work;
}

/// The workloads of `layer` if computed as `mixer` with dense or butterfly
/// linears. Linears replaced by Fourier mixing drop out.
SmallVector<cost::Workload> layerWorkloads(const Layer &layer, Mixer mixer,
                                           bool butterflyLinears) {
  SmallVector<cost::Workload> work;
  if (mixer == Mixer::Attention) {
    auto attention = cast<AttentionOp>(layer.mixer);
    auto q = cast<RankedTensorType>(attention.getQuery().getType());
    auto k = cast<RankedTensorType>(attention.getKey().getType());
    auto v = cast<RankedTensorType>(attention.getValue().getType());
    cost::Workload mix;
    mix.kind = cost::OpKind::Attention;
    mix.batchHeads = q.getDimSize(0) * q.getDimSize(1);
    mix.seqQ = q.getDimSize(2);
    mix.seqK = k.getDimSize(2);
    mix.headDim = q.getDimSize(3);
    mix.valueDim = v.getDimSize(3);
    work.push_back(mix);
  } else {
    Value input = layer.mixer && isa<FourierMixOp>(layer.mixer)
                      ? layer.mixer->getOperand(0)
                      : layer.mixerInput;
    auto type = cast<RankedTensorType>(input.getType());
    cost::Workload mix;
    mix.kind = cost::OpKind::FourierMix;
    mix.tokens = type.getDimSize(0);
    mix.seqQ = type.getDimSize(1);
    mix.inFeatures = type.getDimSize(2);
    work.push_back(mix);
  }
  for (Operation *linear : layer.linears) {
    if (mixer == Mixer::Fourier && layer.isReplacedByFourier(linear))
      continue;
    bool butterfly = isa<ButterflyLinearOp>(linear) || butterflyLinears;
    work.push_back(linearWorkload(linear, butterfly));
  }
  return work;
}

double objectiveOf(const cost::Cost &modelled, bool energy) {
  return energy ? modelled.energyPj : modelled.cycles;
}

//===----------------------------------------------------------------------===//
// Rewriting
//===----------------------------------------------------------------------===//

/// Erases `root` and every pure op that becomes dead with it.
void eraseDeadChain(Operation *root) {
  llvm::SetVector<Operation *> worklist;
  worklist.insert(root);
  while (!worklist.empty()) {
    Operation *op = worklist.pop_back_val();
    if (!op->use_empty())
      continue;
    SmallVector<Operation *> producers;
    for (Value operand : op->getOperands())
      if (Operation *def = operand.getDefiningOp())
        producers.push_back(def);
    op->erase();
    for (Operation *def : producers)
      if (def->use_empty() && isPure(def))
        worklist.insert(def);
  }
}

struct Conversion {
  std::string location;
  int64_t in = 0, out = 0;
  std::string weightKind; ///< constant, argument, or why it stayed dense
  double projectionError = -1;
  int64_t argumentIndex = -1;
  std::string newType;
  /// The butterfly linear that replaced the dense one, if converted.
  Operation *replacement = nullptr;
};

std::string locationString(Location loc) {
  std::string text;
  llvm::raw_string_ostream os(text);
  loc.print(os);
  return text;
}

std::string typeString(Type type) {
  std::string text;
  llvm::raw_string_ostream os(text);
  type.print(os);
  return text;
}

} // namespace

namespace {

struct BflyHybridSparsityPass
    : public butterfly::bfly::impl::BflyHybridSparsityBase<
          BflyHybridSparsityPass> {
  using BflyHybridSparsityBase::BflyHybridSparsityBase;

  void runOnOperation() override;

private:
  LogicalResult parseOptions(Policy &policy, bool &energy, arch::Arch &target);
  /// Which layers keep attention: `count` of those that have it, placed by
  /// the layout.
  SmallVector<bool> attentionPlacement(ArrayRef<bool> hasAttention,
                                       int64_t count);
  void replaceWithFourier(Layer &layer);
  Conversion convertLinear(LinearOp linear, func::FuncOp func);
};

} // namespace

LogicalResult BflyHybridSparsityPass::parseOptions(Policy &policy, bool &energy,
                                                   arch::Arch &target) {
  ModuleOp module = getOperation();
  std::optional<Policy> parsed =
      llvm::StringSwitch<std::optional<Policy>>(policyName.getValue())
          .Case("fabnet", Policy::Fabnet)
          .Case("cost", Policy::Cost)
          .Case("manual", Policy::Manual)
          .Case("dense", Policy::Dense)
          .Default(std::nullopt);
  if (!parsed)
    return module.emitError("bfly-hybrid-sparsity: unknown policy '")
           << policyName.getValue()
           << "'; expected fabnet, cost, manual or dense";
  policy = *parsed;
  if (objective != "cycles" && objective != "energy")
    return module.emitError("bfly-hybrid-sparsity: unknown objective '")
           << objective << "'; expected cycles or energy";
  energy = objective == "energy";
  if (layout != "top" && layout != "bottom" && layout != "middle")
    return module.emitError("bfly-hybrid-sparsity: unknown layout '")
           << layout << "'; expected top, bottom or middle";
  if (!(maxProjectionError >= 0))
    return module.emitError("bfly-hybrid-sparsity: max-projection-error must "
                            "be >= 0, got ")
           << maxProjectionError.getValue();
  if (!archFile.empty()) {
    llvm::Expected<arch::Arch> loaded = arch::loadArch(archFile);
    if (!loaded)
      return module.emitError("bfly-hybrid-sparsity: ")
             << llvm::toString(loaded.takeError());
    target = *loaded;
  }
  return success();
}

SmallVector<bool>
BflyHybridSparsityPass::attentionPlacement(ArrayRef<bool> hasAttention,
                                           int64_t count) {
  // The layers that can keep attention, in order from the input.
  SmallVector<int64_t> candidates;
  for (auto [index, has] : llvm::enumerate(hasAttention))
    if (has)
      candidates.push_back(index);
  int64_t available = candidates.size();
  int64_t first = layout == "bottom" ? 0
                  : layout == "top"  ? available - count
                                     : (available - count) / 2;
  SmallVector<bool> keep(hasAttention.size(), false);
  for (int64_t i = first; i < first + count; ++i)
    keep[candidates[i]] = true;
  return keep;
}

void BflyHybridSparsityPass::replaceWithFourier(Layer &layer) {
  OpBuilder builder(layer.outProjection);
  auto fourier = FourierMixOp::create(
      builder, layer.mixer->getLoc(), layer.mixerInput,
      SparsityKindAttr::get(&getContext(), SparsityKind::fourier));
  if (Attribute marker = layer.mixer->getAttr(kLayerAttr))
    fourier->setAttr(kLayerAttr, marker);
  layer.outProjection->getResult(0).replaceAllUsesWith(fourier.getResult());
  llvm::erase_if(layer.linears,
                 [&](Operation *op) { return layer.isReplacedByFourier(op); });
  eraseDeadChain(layer.outProjection);
  layer.mixer = fourier;
  layer.projections.clear();
  layer.outProjection = nullptr;
}

Conversion BflyHybridSparsityPass::convertLinear(LinearOp linear,
                                                 func::FuncOp func) {
  Conversion record;
  record.location = locationString(linear.getLoc());
  auto weightType = cast<RankedTensorType>(linear.getWeight().getType());
  record.in = weightType.getDimSize(0);
  record.out = weightType.getDimSize(1);
  int64_t logN = llvm::Log2_64_Ceil(record.in);
  int64_t n = int64_t(1) << logN;
  auto twiddleType = RankedTensorType::get(
      {static_cast<int64_t>(llvm::divideCeil(record.out, n)), 1, logN, n / 2, 2,
       2},
      weightType.getElementType());
  Value twiddles;
  DenseElementsAttr dense;
  if (matchPattern(linear.getWeight(), m_Constant(&dense))) {
    record.weightKind = "constant";
    Tensor weight = Tensor::zeros(ElementKind::F32, {record.in, record.out});
    llvm::copy(dense.getValues<float>(), weight.data.begin());
    ref::ButterflyProjection projection =
        ref::projectToButterfly(weight, 1, /*increasingStride=*/true);
    record.projectionError = projection.relativeError;
    if (projection.relativeError > maxProjectionError) {
      record.weightKind = "constant (kept dense: projection error above "
                          "max-projection-error)";
      return record;
    }
    OpBuilder builder(linear);
    twiddles = arith::ConstantOp::create(
        builder, linear.getLoc(),
        DenseElementsAttr::get(twiddleType,
                               ArrayRef<float>(projection.twiddles.data)));
  } else if (auto arg = dyn_cast<BlockArgument>(linear.getWeight());
             arg && arg.getOwner()->isEntryBlock() &&
             arg.getOwner()->getParentOp() == func.getOperation()) {
    if (!arg.hasOneUse()) {
      record.weightKind = "argument (kept dense: shared with other ops)";
      return record;
    }
    if (!SymbolTable::symbolKnownUseEmpty(func, getOperation())) {
      record.weightKind = "argument (kept dense: the function has callers)";
      return record;
    }
    record.weightKind = "argument";
    record.argumentIndex = arg.getArgNumber();
    record.newType = typeString(twiddleType);
    arg.setType(twiddleType);
    SmallVector<Type> inputs(func.front().getArgumentTypes());
    func.setType(
        FunctionType::get(&getContext(), inputs, func.getResultTypes()));
    twiddles = arg;
  } else {
    record.weightKind = "computed (kept dense: not a constant or argument)";
    return record;
  }
  OpBuilder builder(linear);
  auto butterfly = ButterflyLinearOp::create(
      builder, linear.getLoc(), linear.getType(), linear.getInput(), twiddles,
      linear.getBias(), /*increasing_stride=*/true,
      SparsityKindAttr::get(&getContext(), SparsityKind::butterfly));
  if (auto marker = linear->getAttr(kLayerAttr))
    butterfly->setAttr(kLayerAttr, marker);
  linear.getResult().replaceAllUsesWith(butterfly.getResult());
  // The dense weight constant goes with the dense linear.
  eraseDeadChain(linear);
  record.replacement = butterfly;
  return record;
}

void BflyHybridSparsityPass::runOnOperation() {
  ModuleOp module = getOperation();
  Policy policy;
  bool energy;
  arch::Arch target;
  if (failed(parseOptions(policy, energy, target)))
    return signalPassFailure();

  SmallVector<std::pair<func::FuncOp, SmallVector<Layer>>> functions;
  SmallVector<bool> hasAttention;
  for (auto func : module.getOps<func::FuncOp>()) {
    if (func.isExternal())
      continue;
    FailureOr<SmallVector<Layer>> layers = findLayers(func);
    if (failed(layers))
      return signalPassFailure();
    for (const Layer &layer : *layers)
      hasAttention.push_back(layer.hasAttention());
    functions.emplace_back(func, std::move(*layers));
  }
  int64_t numLayers = hasAttention.size();
  int64_t numAttention = llvm::count(hasAttention, true);

  // -1 (the default, also what a printed pipeline spells) means "unset".
  int64_t keepCount = attentionLayers;
  if (keepCount == -1) {
    keepCount =
        policy == Policy::Fabnet ? std::min<int64_t>(2, numAttention) : 0;
  } else if (keepCount < 0) {
    module.emitError("bfly-hybrid-sparsity: attention-layers must be >= 0, "
                     "got ")
        << keepCount;
    return signalPassFailure();
  } else if (keepCount > numLayers) {
    module.emitError("bfly-hybrid-sparsity: attention-layers=")
        << keepCount << " but the model has only " << numLayers
        << " encoder layers";
    return signalPassFailure();
  } else if (keepCount > numAttention) {
    module.emitError("bfly-hybrid-sparsity: attention-layers=")
        << keepCount << " but only " << numAttention
        << " of the model's layers have attention to keep";
    return signalPassFailure();
  }
  SmallVector<bool> keepAttention = attentionPlacement(hasAttention, keepCount);

  json::Array layerReports;
  cost::Cost chosenTotal, denseTotal;
  int64_t globalIndex = 0;
  for (auto &[func, layers] : functions) {
    for (Layer &layer : layers) {
      bool mustKeep = keepAttention[globalIndex];
      int64_t index = globalIndex++;
      // The alternatives this layer can take.
      SmallVector<Alternative> alternatives;
      bool canAttention = layer.hasAttention();
      bool canFourier = !canAttention || layer.noFourierReason.empty();
      for (Mixer mixer : {Mixer::Attention, Mixer::Fourier}) {
        if ((mixer == Mixer::Attention && !canAttention) ||
            (mixer == Mixer::Fourier && !canFourier))
          continue;
        for (bool butterfly : {false, true})
          alternatives.push_back(
              {mixer, butterfly,
               cost::estimateChain(target,
                                   layerWorkloads(layer, mixer, butterfly),
                                   cost::Dataflow::Multilayer)});
      }
      const Alternative &dense = alternatives.front();

      // The decision.
      Mixer mixer = canAttention ? Mixer::Attention : Mixer::Fourier;
      bool butterflyLinears = false;
      std::string reason;
      switch (policy) {
      case Policy::Dense:
        reason = "policy=dense";
        break;
      case Policy::Fabnet:
        mixer = mustKeep || !canFourier ? mixer : Mixer::Fourier;
        butterflyLinears = true;
        reason = mustKeep ? "policy=fabnet keeps attention here (ABfly)"
                          : "policy=fabnet (FBfly)";
        if (!mustKeep && !canFourier)
          reason += "; attention kept: " + layer.noFourierReason;
        break;
      case Policy::Manual: {
        auto attention = dyn_cast_or_null<AttentionOp>(layer.mixer);
        if (attention && attention.getSparsity() == SparsityKind::fourier) {
          if (!canFourier) {
            attention.emitError("bfly-hybrid-sparsity: cannot realise "
                                "sparsity<fourier>: ")
                << layer.noFourierReason;
            return signalPassFailure();
          }
          mixer = Mixer::Fourier;
        }
        reason = "policy=manual";
        break;
      }
      case Policy::Cost: {
        const Alternative *best = nullptr;
        for (const Alternative &alt : alternatives) {
          if (mustKeep && alt.mixer != Mixer::Attention)
            continue;
          if (!best || objectiveOf(alt.modelled, energy) <
                           objectiveOf(best->modelled, energy))
            best = &alt;
        }
        mixer = best->mixer;
        butterflyLinears = best->butterflyLinears;
        reason = "policy=cost minimises modelled " + objective.getValue();
        if (mustKeep)
          reason += " (attention kept: attention-layers)";
        break;
      }
      }

      // Rewrite.
      if (mixer == Mixer::Fourier && layer.hasAttention())
        replaceWithFourier(layer);
      if (auto attention = dyn_cast<AttentionOp>(layer.mixer))
        attention.setSparsityAttr(
            SparsityKindAttr::get(&getContext(), SparsityKind::dense));
      if (auto fourier = dyn_cast<FourierMixOp>(layer.mixer))
        fourier.setSparsityAttr(
            SparsityKindAttr::get(&getContext(), SparsityKind::fourier));
      json::Array conversions;
      int64_t butterflyCount = 0, denseCount = 0;
      for (Operation *&op : layer.linears) {
        auto linear = dyn_cast<LinearOp>(op);
        if (!linear) {
          ++butterflyCount; // already a butterfly linear
          continue;
        }
        bool wantButterfly = butterflyLinears ||
                             (policy == Policy::Manual &&
                              linear.getSparsity() == SparsityKind::butterfly);
        if (!wantButterfly) {
          linear.setSparsityAttr(
              SparsityKindAttr::get(&getContext(), SparsityKind::dense));
          ++denseCount;
          continue;
        }
        Conversion record = convertLinear(linear, func);
        if (record.replacement)
          op = record.replacement;
        if (!record.replacement) {
          linear.emitRemark("linear kept dense: ") << record.weightKind;
          linear.setSparsityAttr(
              SparsityKindAttr::get(&getContext(), SparsityKind::dense));
          ++denseCount;
        } else {
          ++butterflyCount;
        }
        json::Object entry{{"location", record.location},
                           {"in_features", record.in},
                           {"out_features", record.out},
                           {"weight", record.weightKind},
                           {"converted", record.replacement != nullptr}};
        if (record.projectionError >= 0)
          entry["projection_error"] = record.projectionError;
        if (record.argumentIndex >= 0) {
          entry["argument"] = record.argumentIndex;
          entry["new_type"] = record.newType;
        }
        conversions.push_back(std::move(entry));
      }

      // Report: the realised configuration is costed as it now stands.
      cost::Cost chosen = cost::estimateChain(
          target, layerWorkloads(layer, mixer, /*butterflyLinears=*/false),
          cost::Dataflow::Multilayer);
      chosenTotal += chosen;
      denseTotal += dense.modelled;
      InFlightDiagnostic remark = layer.mixer->emitRemark();
      remark << "layer " << index << ": " << mixerName(mixer) << " mixing, "
             << butterflyCount << " butterfly and " << denseCount
             << " dense linears (" << reason << "); modelled cycles/energy:";
      json::Array alternativeReports;
      for (const Alternative &alt : alternatives) {
        remark << " " << mixerName(alt.mixer) << "+"
               << (alt.butterflyLinears ? "butterfly" : "dense") << " "
               << llvm::formatv("{0:e3}/{1:e3} pJ", alt.modelled.cycles,
                                alt.modelled.energyPj);
        alternativeReports.push_back(json::Object{
            {"mixer", mixerName(alt.mixer)},
            {"linears", alt.butterflyLinears ? "butterfly" : "dense"},
            {"cycles", alt.modelled.cycles},
            {"energy_pj", alt.modelled.energyPj}});
      }
      remark << "; chosen "
             << llvm::formatv("{0:e3}/{1:e3} pJ", chosen.cycles,
                              chosen.energyPj);
      layerReports.push_back(
          json::Object{{"index", index},
                       {"function", func.getSymName()},
                       {"mixer", mixerName(mixer)},
                       {"butterfly_linears", butterflyCount},
                       {"dense_linears", denseCount},
                       {"reason", reason},
                       {"alternatives", std::move(alternativeReports)},
                       {"chosen", json::Object{{"cycles", chosen.cycles},
                                               {"energy_pj", chosen.energyPj}}},
                       {"linears", std::move(conversions)}});
    }
  }

  if (reportFile.empty())
    return;
  json::Array signatures;
  for (auto &[func, layers] : functions) {
    json::Array inputs, unused;
    for (BlockArgument arg : func.getArguments()) {
      inputs.push_back(typeString(arg.getType()));
      if (arg.use_empty())
        unused.push_back(arg.getArgNumber());
    }
    // Weights of replaced attention blocks stay in the signature (argument
    // numbers do not shift) but are no longer read.
    signatures.push_back(json::Object{{"function", func.getSymName()},
                                      {"inputs", std::move(inputs)},
                                      {"unused_inputs", std::move(unused)}});
  }
  json::Object report{
      {"policy", policyName.getValue()},
      {"objective", objective.getValue()},
      {"arch", target.name},
      {"dataflow", "multilayer"},
      {"attention_layers", keepCount},
      {"layout", layout.getValue()},
      {"layers", std::move(layerReports)},
      {"total", json::Object{{"chosen_cycles", chosenTotal.cycles},
                             {"dense_cycles", denseTotal.cycles},
                             {"speedup_vs_dense",
                              chosenTotal.cycles > 0
                                  ? denseTotal.cycles / chosenTotal.cycles
                                  : 0.0},
                             {"chosen_energy_pj", chosenTotal.energyPj},
                             {"dense_energy_pj", denseTotal.energyPj}}},
      {"signatures", std::move(signatures)}};
  std::string error;
  std::unique_ptr<llvm::ToolOutputFile> output =
      openOutputFile(reportFile, &error);
  if (!output) {
    module.emitError("bfly-hybrid-sparsity: cannot write report: ") << error;
    return signalPassFailure();
  }
  output->os() << llvm::formatv("{0:2}", json::Value(std::move(report)))
               << "\n";
  output->keep();
}
