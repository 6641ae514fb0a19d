// RUN: butterfly-opt --help | FileCheck %s
// CHECK: Available Dialects: {{.*}}bfly
