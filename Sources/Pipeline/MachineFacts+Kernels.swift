import NeuralEngine
import Results

extension MachineFacts {
    /// The CPU's model name, from /proc/cpuinfo, and the level of the engine's kernels that ran
    /// on it (which changes the speed, not the numbers).
    public static var cpu: String {
        "\(cpuModel) (\(ComputeKernels.level.rawValue) kernels)"
    }

    /// The level of the engine's kernels that ran the products ("avx512", "avx2", "baseline").
    public static var kernels: String { ComputeKernels.level.rawValue }
}
