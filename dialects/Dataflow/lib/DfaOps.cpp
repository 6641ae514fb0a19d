//===- DfaOps.cpp - The dfa dialect -----------------------------*- C++ -*-===//
//
// The dfa dialect: custom assembly that reads like the PE assembly of
// docs/architecture.md, local verifiers, and the program verifier that checks
// a whole dfa.program against its arch through the bitstream's verify().
//
//===----------------------------------------------------------------------===//

#include "butterfly/Dialect/Dataflow/DfaDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace butterfly;
using namespace butterfly::dfa;

#include "butterfly/Dialect/Dataflow/DfaDialect.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "butterfly/Dialect/Dataflow/DfaAttrs.cpp.inc"

void DfaDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "butterfly/Dialect/Dataflow/DfaOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "butterfly/Dialect/Dataflow/DfaAttrs.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// Instruction operands
//
// Stored as i64 arrays: [] none, [1, base, stride, inc0, inc1] local memory,
// [2, value] port (in-port index for sources, out-port mask for the
// destination), [3] immediate (the value is in the *_imm attribute).
//===----------------------------------------------------------------------===//

namespace {

enum class Slot { Dst, Source };

ParseResult parseInstOperand(OpAsmParser &parser, Slot slot,
                             SmallVectorImpl<int64_t> &encoded, float &imm) {
  StringRef keyword;
  llvm::SMLoc loc = parser.getCurrentLocation();
  if (parser.parseKeyword(&keyword))
    return failure();
  if (keyword == "lm") {
    SmallVector<int64_t> fields;
    if (parser.parseCommaSeparatedList(OpAsmParser::Delimiter::Square,
                                       [&]() -> ParseResult {
                                         int64_t value;
                                         if (parser.parseInteger(value))
                                           return failure();
                                         fields.push_back(value);
                                         return success();
                                       }))
      return failure();
    if (fields.size() != 1 && fields.size() != 2 && fields.size() != 4)
      return parser.emitError(loc, "expected lm[base], lm[base, stride] or "
                                   "lm[base, stride, inc0, inc1]");
    if (fields.size() == 1)
      fields.push_back(1);
    fields.resize(4, 0);
    encoded.assign({static_cast<int64_t>(bitstream::OperandKind::Mem)});
    encoded.append(fields);
    return success();
  }
  if (keyword == "imm") {
    // f32 semantics, so hex bit patterns (inf, NaN payloads) round-trip and
    // values beyond f32's range are rejected rather than rounded to inf.
    llvm::APFloat value(0.0f);
    if (parser.parseFloat(llvm::APFloat::IEEEsingle(), value))
      return failure();
    imm = value.convertToFloat();
    encoded.assign({static_cast<int64_t>(bitstream::OperandKind::Imm)});
    return success();
  }
  if (slot == Slot::Dst && keyword == "out") {
    int64_t mask = 0;
    if (parser.parseCommaSeparatedList(
            OpAsmParser::Delimiter::Square, [&]() -> ParseResult {
              int64_t port;
              llvm::SMLoc portLoc = parser.getCurrentLocation();
              if (parser.parseInteger(port))
                return failure();
              if (port < 0 || port >= bitstream::kNumPorts)
                return parser.emitError(portLoc, "out-port ")
                       << port << " out of range [0, " << bitstream::kNumPorts
                       << ")";
              mask |= int64_t(1) << port;
              return success();
            }))
      return failure();
    encoded.assign({static_cast<int64_t>(bitstream::OperandKind::Port), mask});
    return success();
  }
  int64_t port;
  if (slot == Slot::Source && keyword.consume_front("in") &&
      !keyword.getAsInteger(10, port)) {
    encoded.assign({static_cast<int64_t>(bitstream::OperandKind::Port), port});
    return success();
  }
  return parser.emitError(loc, "expected an operand: lm[...], imm VALUE, ")
         << (slot == Slot::Dst ? "or out[PORTS]" : "or inN");
}

void printInstOperand(OpAsmPrinter &printer, Slot slot,
                      ArrayRef<int64_t> encoded, float imm) {
  switch (static_cast<bitstream::OperandKind>(encoded[0])) {
  case bitstream::OperandKind::Mem:
    printer << "lm[" << encoded[1] << ", " << encoded[2];
    if (encoded[3] != 0 || encoded[4] != 0)
      printer << ", " << encoded[3] << ", " << encoded[4];
    printer << "]";
    return;
  case bitstream::OperandKind::Port:
    if (slot == Slot::Source) {
      printer << "in" << encoded[1];
      return;
    }
    printer << "out[";
    {
      bool first = true;
      for (int port = 0; port < 63; ++port)
        if (encoded[1] & (int64_t(1) << port)) {
          printer << (first ? "" : ", ") << port;
          first = false;
        }
    }
    printer << "]";
    return;
  case bitstream::OperandKind::Imm:
    printer << "imm ";
    printer.printFloat(llvm::APFloat(imm));
    return;
  case bitstream::OperandKind::None:
    return;
  }
}

std::optional<bitstream::Opcode> opcodeFromName(StringRef name) {
  for (unsigned raw = 0; raw < 256; ++raw)
    if (bitstream::isValidOpcode(raw) &&
        name == bitstream::opcodeName(static_cast<bitstream::Opcode>(raw)))
      return static_cast<bitstream::Opcode>(raw);
  return std::nullopt;
}

} // namespace

ParseResult InstOp::parse(OpAsmParser &parser, OperationState &result) {
  Builder &builder = parser.getBuilder();
  StringRef mnemonic;
  llvm::SMLoc loc = parser.getCurrentLocation();
  if (parser.parseKeyword(&mnemonic))
    return failure();
  std::optional<bitstream::Opcode> opcode = opcodeFromName(mnemonic);
  if (!opcode)
    return parser.emitError(loc, "unknown instruction '") << mnemonic << "'";
  int64_t numbers[4] = {0, 0, 0, 0}; // n, p0, p1, flags
  SmallVector<int64_t> operands[3];  // dst, a, b
  float imms[3] = {0, 0, 0};
  static constexpr StringLiteral numberKeys[] = {"n", "p0", "p1", "flags"};
  static constexpr StringLiteral operandKeys[] = {"dst", "a", "b"};
  auto parseField = [&]() -> ParseResult {
    StringRef key;
    llvm::SMLoc keyLoc = parser.getCurrentLocation();
    if (parser.parseKeyword(&key) || parser.parseEqual())
      return failure();
    for (auto [index, name] : llvm::enumerate(numberKeys))
      if (key == name)
        return parser.parseInteger(numbers[index]);
    for (auto [index, name] : llvm::enumerate(operandKeys))
      if (key == name)
        return parseInstOperand(parser, index == 0 ? Slot::Dst : Slot::Source,
                                operands[index], imms[index]);
    return parser.emitError(keyLoc, "unknown instruction field '")
           << key << "'; expected n, p0, p1, flags, dst, a or b";
  };
  // The fields, if any, are a parenthesised `key = value` list.
  if (succeeded(parser.parseOptionalLParen()) &&
      (parser.parseCommaSeparatedList(parseField) || parser.parseRParen()))
    return failure();
  if (parser.parseOptionalAttrDict(result.attributes))
    return failure();
  auto &props = result.getOrAddProperties<InstOp::Properties>();
  props.opcode = builder.getI64IntegerAttr(static_cast<int64_t>(*opcode));
  props.n = builder.getI64IntegerAttr(numbers[0]);
  props.p0 = builder.getI64IntegerAttr(numbers[1]);
  props.p1 = builder.getI64IntegerAttr(numbers[2]);
  props.flags = builder.getI64IntegerAttr(numbers[3]);
  props.dst = builder.getDenseI64ArrayAttr(operands[0]);
  props.a = builder.getDenseI64ArrayAttr(operands[1]);
  props.b = builder.getDenseI64ArrayAttr(operands[2]);
  props.dst_imm = builder.getF32FloatAttr(imms[0]);
  props.a_imm = builder.getF32FloatAttr(imms[1]);
  props.b_imm = builder.getF32FloatAttr(imms[2]);
  return success();
}

void InstOp::print(OpAsmPrinter &printer) {
  printer << " "
          << bitstream::opcodeName(static_cast<bitstream::Opcode>(getOpcode()));
  const char *separator = "(";
  auto field = [&](StringRef name) -> OpAsmPrinter & {
    printer << separator << name << " = ";
    separator = ", ";
    return printer;
  };
  for (auto [name, value] : {std::pair<StringRef, int64_t>{"n", getN()},
                             {"p0", getP0()},
                             {"p1", getP1()},
                             {"flags", getFlags()}})
    if (value != 0)
      field(name) << value;
  for (auto [name, encoded, imm, slot] :
       {std::tuple<StringRef, ArrayRef<int64_t>, float, Slot>{
            "dst", getDst(), getDstImm().convertToFloat(), Slot::Dst},
        {"a", getA(), getAImm().convertToFloat(), Slot::Source},
        {"b", getB(), getBImm().convertToFloat(), Slot::Source}})
    if (!encoded.empty()) {
      field(name);
      printInstOperand(printer, slot, encoded, imm);
    }
  if (StringRef(separator) == ", ")
    printer << ")";
  printer.printOptionalAttrDict((*this)->getAttrs(), getAttributeNames());
}

LogicalResult InstOp::verify() {
  if (getOpcode() > 255 ||
      !bitstream::isValidOpcode(static_cast<uint8_t>(getOpcode())))
    return emitOpError("unknown opcode ") << getOpcode();
  for (auto [name, encoded] :
       {std::pair<StringRef, ArrayRef<int64_t>>{"dst", getDst()},
        {"a", getA()},
        {"b", getB()}}) {
    if (encoded.empty())
      continue;
    auto kind = static_cast<bitstream::OperandKind>(encoded[0]);
    size_t expected = kind == bitstream::OperandKind::Mem    ? 5
                      : kind == bitstream::OperandKind::Port ? 2
                      : kind == bitstream::OperandKind::Imm  ? 1
                                                             : 0;
    if (expected == 0 || encoded.size() != expected)
      return emitOpError("malformed ") << name << " operand";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Routes
//
// src = [row, col, port]; dsts = [row, col, port]*; links = [r0, c0, r1, c1]*.
// Edge nodes are (row, -1) (west) and (-1, col) (north).
//===----------------------------------------------------------------------===//

namespace {

/// `pe(r, c, outN)` / `pe(r, c, inN)` / `west(r)` / `north(c)`.
ParseResult parseEndpoint(OpAsmParser &parser, bool source,
                          SmallVectorImpl<int64_t> &out) {
  StringRef keyword;
  llvm::SMLoc loc = parser.getCurrentLocation();
  int64_t a = 0, b = 0;
  if (parser.parseKeyword(&keyword) || parser.parseLParen() ||
      parser.parseInteger(a))
    return failure();
  if (keyword == "west" || keyword == "north") {
    if (parser.parseRParen())
      return failure();
    out.append(keyword == "west" ? SmallVector<int64_t>{a, -1, 0}
                                 : SmallVector<int64_t>{-1, a, 0});
    return success();
  }
  if (keyword != "pe")
    return parser.emitError(loc, "expected pe(ROW, COL, PORT), west(ROW) or "
                                 "north(COL)");
  StringRef port;
  llvm::SMLoc portLoc;
  if (parser.parseComma() || parser.parseInteger(b) || parser.parseComma() ||
      (portLoc = parser.getCurrentLocation(), parser.parseKeyword(&port)) ||
      parser.parseRParen())
    return failure();
  StringRef prefix = source ? "out" : "in";
  int64_t index;
  if (!port.consume_front(prefix) || port.getAsInteger(10, index))
    return parser.emitError(portLoc, "expected a port ")
           << prefix << "N of the " << (source ? "source" : "destination");
  out.append({a, b, index});
  return success();
}

void printEndpoint(OpAsmPrinter &printer, ArrayRef<int64_t> endpoint,
                   bool source) {
  if (endpoint[1] == -1) {
    printer << "west(" << endpoint[0] << ")";
    return;
  }
  if (endpoint[0] == -1) {
    printer << "north(" << endpoint[1] << ")";
    return;
  }
  printer << "pe(" << endpoint[0] << ", " << endpoint[1] << ", "
          << (source ? "out" : "in") << endpoint[2] << ")";
}

} // namespace

ParseResult RouteOp::parse(OpAsmParser &parser, OperationState &result) {
  SmallVector<int64_t> src, dsts, links;
  if (parseEndpoint(parser, /*source=*/true, src) || parser.parseArrow() ||
      parser.parseCommaSeparatedList(
          OpAsmParser::Delimiter::Square,
          [&]() { return parseEndpoint(parser, /*source=*/false, dsts); }) ||
      parser.parseKeyword("via") ||
      parser.parseCommaSeparatedList(
          OpAsmParser::Delimiter::Square,
          [&]() -> ParseResult {
            int64_t r0, c0, r1, c1;
            if (parser.parseLParen() || parser.parseInteger(r0) ||
                parser.parseComma() || parser.parseInteger(c0) ||
                parser.parseRParen() || parser.parseArrow() ||
                parser.parseLParen() || parser.parseInteger(r1) ||
                parser.parseComma() || parser.parseInteger(c1) ||
                parser.parseRParen())
              return failure();
            links.append({r0, c0, r1, c1});
            return success();
          }) ||
      parser.parseOptionalAttrDict(result.attributes))
    return failure();
  Builder &builder = parser.getBuilder();
  auto &props = result.getOrAddProperties<RouteOp::Properties>();
  props.src = builder.getDenseI64ArrayAttr(src);
  props.dsts = builder.getDenseI64ArrayAttr(dsts);
  props.links = builder.getDenseI64ArrayAttr(links);
  return success();
}

void RouteOp::print(OpAsmPrinter &printer) {
  printer << " ";
  printEndpoint(printer, getSrc(), /*source=*/true);
  printer << " -> [";
  ArrayRef<int64_t> dsts = getDsts();
  for (size_t i = 0; i < dsts.size(); i += 3) {
    printer << (i ? ", " : "");
    printEndpoint(printer, dsts.slice(i, 3), /*source=*/false);
  }
  printer << "] via [";
  ArrayRef<int64_t> links = getLinks();
  for (size_t i = 0; i < links.size(); i += 4)
    printer << (i ? ", " : "") << "(" << links[i] << ", " << links[i + 1]
            << ") -> (" << links[i + 2] << ", " << links[i + 3] << ")";
  printer << "]";
  printer.printOptionalAttrDict((*this)->getAttrs(), getAttributeNames());
}

LogicalResult RouteOp::verify() {
  if (getSrc().size() != 3 || getDsts().empty() || getDsts().size() % 3 ||
      getLinks().size() % 4)
    return emitOpError("malformed route: needs one source, at least one "
                       "destination and whole links");
  return success();
}

//===----------------------------------------------------------------------===//
// DMAs
//===----------------------------------------------------------------------===//

namespace {

constexpr StringLiteral kDmaKindNames[] = {"dram_to_gb", "gb_to_dram",
                                           "gb_to_edge", "edge_to_gb"};

bool isEdgeKind(int64_t kind) {
  return kind == static_cast<int64_t>(bitstream::DmaKind::GbToEdge) ||
         kind == static_cast<int64_t>(bitstream::DmaKind::EdgeToGb);
}

} // namespace

ParseResult DmaOp::parse(OpAsmParser &parser, OperationState &result) {
  StringRef kindName;
  llvm::SMLoc loc = parser.getCurrentLocation();
  if (parser.parseKeyword(&kindName))
    return failure();
  const auto *found = llvm::find(kDmaKindNames, kindName);
  if (found == std::end(kDmaKindNames))
    return parser.emitError(loc, "unknown DMA kind '")
           << kindName
           << "'; expected dram_to_gb, gb_to_dram, gb_to_edge or "
              "edge_to_gb";
  int64_t kind = found - std::begin(kDmaKindNames);
  int64_t dramAddr = 0, gbAddr = 0;
  SmallVector<int64_t> edge, dims, waitFor;
  if (!isEdgeKind(kind) &&
      (parser.parseKeyword("dram") || parser.parseInteger(dramAddr)))
    return failure();
  if (parser.parseKeyword("gb") || parser.parseInteger(gbAddr))
    return failure();
  if (isEdgeKind(kind)) {
    SmallVector<int64_t> endpoint;
    if (parser.parseKeyword("edge") ||
        parseEndpoint(parser, /*source=*/false, endpoint))
      return failure();
    edge = {endpoint[0], endpoint[1]};
  } else {
    edge = {0, 0};
  }
  if (parser.parseKeyword("dims") ||
      parser.parseCommaSeparatedList(
          OpAsmParser::Delimiter::Square, [&]() -> ParseResult {
            return parser.parseCommaSeparatedList(
                OpAsmParser::Delimiter::Square, [&]() -> ParseResult {
                  int64_t value;
                  if (parser.parseInteger(value))
                    return failure();
                  dims.push_back(value);
                  return success();
                });
          }))
    return failure();
  if (succeeded(parser.parseOptionalKeyword("after")) &&
      parser.parseCommaSeparatedList(OpAsmParser::Delimiter::Square,
                                     [&]() -> ParseResult {
                                       int64_t index;
                                       if (parser.parseInteger(index))
                                         return failure();
                                       waitFor.push_back(index);
                                       return success();
                                     }))
    return failure();
  if (parser.parseOptionalAttrDict(result.attributes))
    return failure();
  Builder &builder = parser.getBuilder();
  auto &props = result.getOrAddProperties<DmaOp::Properties>();
  props.kind = builder.getI64IntegerAttr(kind);
  props.dram_addr = builder.getI64IntegerAttr(dramAddr);
  props.gb_addr = builder.getI64IntegerAttr(gbAddr);
  props.edge = builder.getDenseI64ArrayAttr(edge);
  props.dims = builder.getDenseI64ArrayAttr(dims);
  props.wait_for = builder.getDenseI64ArrayAttr(waitFor);
  return success();
}

void DmaOp::print(OpAsmPrinter &printer) {
  int64_t kind = getKind();
  printer << " " << kDmaKindNames[kind];
  if (!isEdgeKind(kind))
    printer << " dram " << getDramAddr();
  printer << " gb " << getGbAddr();
  if (isEdgeKind(kind)) {
    printer << " edge ";
    int64_t endpoint[3] = {getEdge()[0], getEdge()[1], 0};
    printEndpoint(printer, endpoint, /*source=*/false);
  }
  printer << " dims [";
  ArrayRef<int64_t> dims = getDims();
  for (size_t i = 0; i < dims.size(); i += 3)
    printer << (i ? ", " : "") << "[" << dims[i] << ", " << dims[i + 1] << ", "
            << dims[i + 2] << "]";
  printer << "]";
  if (!getWaitFor().empty()) {
    printer << " after [";
    llvm::interleaveComma(getWaitFor(), printer);
    printer << "]";
  }
  printer.printOptionalAttrDict((*this)->getAttrs(), getAttributeNames());
}

LogicalResult DmaOp::verify() {
  if (getKind() > 3)
    return emitOpError("unknown DMA kind ") << getKind();
  if (getEdge().size() != 2 || getDims().size() % 3)
    return emitOpError("malformed DMA: dims must be [size, dram_stride, "
                       "gb_stride] triples");
  if (isEdgeKind(getKind()) && getEdge()[0] != -1 && getEdge()[1] != -1)
    return emitOpError("an edge DMA needs a west(ROW) or north(COL) port");
  return success();
}

//===----------------------------------------------------------------------===//
// Constants, inputs and outputs
//===----------------------------------------------------------------------===//

static ParseResult parseMemSpace(OpAsmParser &parser, StringAttr &space) {
  StringRef keyword;
  llvm::SMLoc loc = parser.getCurrentLocation();
  if (parser.parseKeyword(&keyword))
    return failure();
  if (keyword != "dram" && keyword != "gb")
    return parser.emitError(loc, "expected dram or gb, got '")
           << keyword << "'";
  space = parser.getBuilder().getStringAttr(keyword);
  return success();
}

static void printMemSpace(OpAsmPrinter &printer, Operation *,
                          StringAttr space) {
  printer << space.getValue();
}

static LogicalResult verifyImage(Operation *op, ElementsAttr data) {
  if (cast<ShapedType>(data.getType()).getRank() != 1)
    return op->emitOpError("data must be a 1-D tensor of f32");
  return success();
}

LogicalResult ConstantOp::verify() {
  if (getSpace() != "dram" && getSpace() != "gb")
    return emitOpError("space must be 'dram' or 'gb', got '")
           << getSpace() << "'";
  return verifyImage(*this, getData());
}

LogicalResult InitOp::verify() { return verifyImage(*this, getData()); }

static LogicalResult verifyTensorSig(Operation *op, Type type) {
  auto tensor = cast<RankedTensorType>(type);
  Type element = tensor.getElementType();
  auto complexType = dyn_cast<ComplexType>(element);
  if (!tensor.hasStaticShape() ||
      !(element.isF32() ||
        (complexType && complexType.getElementType().isF32())))
    return op->emitOpError("needs a static tensor of f32 or complex<f32>, got ")
           << type;
  return success();
}

LogicalResult InputOp::verify() { return verifyTensorSig(*this, getType()); }
LogicalResult OutputOp::verify() { return verifyTensorSig(*this, getType()); }

//===----------------------------------------------------------------------===//
// ProgramOp
//===----------------------------------------------------------------------===//

LogicalResult ProgramOp::verifyRegions() {
  // The nested ops have passed their own verifiers; only the structure that
  // their HasParent traits cannot express is left to check.
  for (Operation &op : getBody().front()) {
    if (!isa<BufferOp, ConstantOp, InputOp, OutputOp, PhaseOp>(op))
      return op.emitOpError("is not part of a dfa.program");
    auto phase = dyn_cast<PhaseOp>(op);
    if (!phase)
      continue;
    for (Operation &inner : phase.getBody().front()) {
      if (!isa<PeOp, RouteOp, DmaOp>(inner))
        return inner.emitOpError("is not part of a dfa.phase");
      if (auto pe = dyn_cast<PeOp>(inner))
        for (Operation &item : pe.getBody().front())
          if (!isa<InstOp, InitOp>(item))
            return item.emitOpError("is not part of a dfa.pe");
    }
  }
  FailureOr<bitstream::Program> program = toProgram(*this);
  if (failed(program))
    return failure();
  if (llvm::Error error = bitstream::verify(*program, program->arch)) {
    InFlightDiagnostic diag = emitOpError("does not fit the array: ");
    diag << llvm::toString(std::move(error));
    return diag;
  }
  return success();
}

#define GET_OP_CLASSES
#include "butterfly/Dialect/Dataflow/DfaOps.cpp.inc"
