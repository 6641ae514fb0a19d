# -*- Python -*-
# lit configuration of the butterfly test suites.

import os

import lit.formats
from lit.llvm import llvm_config

config.name = "butterfly"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.butterfly_obj_root, "test")
config.excludes = ["Inputs", "CMakeLists.txt", "README.md", "lit.cfg.py",
                   "lit.site.cfg.py", "unit"]

llvm_config.with_system_environment(["HOME", "TMP", "TEMP"])
llvm_config.use_default_substitutions()
# `not`, `count` and `split-file` at the start of a RUN line come from PATH.
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

# Tests need NumPy, which belongs to the Python that CMake found, not
# necessarily to the one running lit.
config.substitutions = [(pattern, value) for pattern, value in
                        config.substitutions if pattern != "%python"]
config.substitutions.append(("%python", '"%s"' % config.python_executable))
llvm_config.add_tool_substitutions(
    ["butterfly-opt", "butterfly-sim", "butterfly-translate"],
    [config.butterfly_tools_dir, config.llvm_tools_dir])
