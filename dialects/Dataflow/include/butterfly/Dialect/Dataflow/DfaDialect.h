//===- DfaDialect.h - The dfa dialect ---------------------------*- C++ -*-===//
//
// Declares the dfa dialect (the array-level IR), its ops and attributes, and
// the 1:1 conversion between a dfa.program and the bitstream's Program.
//
//===----------------------------------------------------------------------===//

#ifndef BUTTERFLY_DIALECT_DATAFLOW_DFADIALECT_H
#define BUTTERFLY_DIALECT_DATAFLOW_DFADIALECT_H

#include "butterfly/Bitstream/Program.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/SymbolTable.h"

#include "butterfly/Dialect/Dataflow/DfaDialect.h.inc"

#define GET_ATTRDEF_CLASSES
#include "butterfly/Dialect/Dataflow/DfaAttrs.h.inc"

#define GET_OP_CLASSES
#include "butterfly/Dialect/Dataflow/DfaOps.h.inc"

namespace butterfly::dfa {

/// The arch a program's #dfa.arch describes (validated like an arch file).
llvm::Expected<arch::Arch> toArch(ArchAttr attr);
/// The #dfa.arch of `arch`, listing every parameter.
ArchAttr toArchAttr(mlir::MLIRContext *context, const arch::Arch &arch);

/// The bitstream Program a dfa.program describes (field by field). Fails,
/// with a diagnostic on the offending op, when a field is out of range.
mlir::FailureOr<bitstream::Program> toProgram(ProgramOp program);
/// Builds the dfa.program of `program` at the end of `module`; every op gets
/// `loc` (e.g. the bitstream file).
ProgramOp fromProgram(const bitstream::Program &program, mlir::ModuleOp module,
                      mlir::Location loc);

} // namespace butterfly::dfa

#endif // BUTTERFLY_DIALECT_DATAFLOW_DFADIALECT_H
