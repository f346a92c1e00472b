import Foundation
import NeuralEngine

/// Makes sure OpenBLAS runs kernels that fit this CPU (see `BLASCore`).
///
/// OpenBLAS reads `$OPENBLAS_CORETYPE` only while the library loads, before `main` runs; so when
/// it fell back to generic kernels on a CPU with AVX2 or AVX-512, the command sets the variable
/// and replaces itself with a fresh copy of the same program and arguments (one `execv`, before
/// any output). A value the user set is always kept, and so is everything else when the restart
/// cannot happen.
enum KernelSelection {
    static func restartIfOpenBLASMisdetectedTheCPU() {
        guard ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil,
              let better = BLASCore.better(than: BLASCore.current, cpuFlags: cpuFlags()) else { return }
        setenv("OPENBLAS_CORETYPE", better, 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        // Only reached when execv failed: carry on with the slower kernels.
        unsetenv("OPENBLAS_CORETYPE")
    }

    /// The feature flags of the first CPU in /proc/cpuinfo, empty where there is none.
    static func cpuFlags() -> Set<String> {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
              let flags = line.split(separator: ":", maxSplits: 1).last else { return [] }
        return Set(flags.split(separator: " ").map(String.init))
    }
}
