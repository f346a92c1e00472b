import Foundation
import NeuralEngine
import OpenBLASReference
import Results
import Pipeline
import Rendering

/// The checks on kernels made before a command runs.
enum KernelSelection {
    /// Ends the process with a message when `$MNIST_REPORT_KERNELS` names a level that does not
    /// exist or that this CPU cannot run: the user asked for something the run would not be.
    static func refuseUnusableRequest() {
        guard let problem = ComputeKernels.problem else { return }
        writeError("mnist-report: \(problem)\n")
        exit(2)
    }

    /// For `bench` only, whose ceiling is OpenBLAS's product: OpenBLAS reads
    /// `$OPENBLAS_CORETYPE` only while the library loads, before `main` runs, and release 0.3.21
    /// (Debian 12's) falls back to generic SSE3 kernels on CPUs it does not know (Intel's
    /// Sapphire and Emerald Rapids among them: 52 GFLOP/s instead of 257 with "SkylakeX"). Then
    /// the command sets the variable and replaces itself with a fresh copy of the same program
    /// and arguments (one `execv`, before any output). A value the user set is always kept.
    static func restartIfOpenBLASMisdetectedTheCPU() {
        guard CommandLine.arguments.dropFirst().first == "bench",
              ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil,
              let better = OpenBLAS.better(than: OpenBLAS.coreName, cpuFlags: MachineFacts.cpuFlags) else { return }
        setenv("OPENBLAS_CORETYPE", better, 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        // Only reached when execv failed: carry on with the slower kernels.
        unsetenv("OPENBLAS_CORETYPE")
    }

}
