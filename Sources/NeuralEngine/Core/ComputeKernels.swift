import CKernels

/// The levels of the engine's compute kernels, each compiled into every binary (see `CKernels`).
///
/// Every level computes the same bits; they differ in speed and in what they need from the CPU.
public enum KernelLevel: String, CaseIterable, Comparable, Sendable {
    /// Any x86-64 CPU (SSE2), or any other architecture; fused multiply-adds in software.
    case baseline
    /// AVX2 and FMA (x86-64-v3: Intel Haswell, AMD Zen and later).
    case avx2
    /// AVX-512 F, DQ, BW and VL (Intel Skylake-SP and later, AMD Zen 4 and later).
    case avx512

    init(_ level: kernels_level) {
        switch level {
        case KERNELS_AVX512: self = .avx512
        case KERNELS_AVX2: self = .avx2
        default: self = .baseline
        }
    }

    var c: kernels_level {
        switch self {
        case .baseline: KERNELS_BASELINE
        case .avx2: KERNELS_AVX2
        case .avx512: KERNELS_AVX512
        }
    }

    /// What the level needs, for messages.
    public var requirement: String {
        switch self {
        case .baseline: "any x86-64 CPU"
        case .avx2: "AVX2 and FMA"
        case .avx512: "AVX-512 F, DQ, BW and VL"
        }
    }

    /// Whether this CPU can run the level.
    public var isSupported: Bool { kernels_level_supported(c) != 0 }

    public static func < (a: Self, b: Self) -> Bool { a.c.rawValue < b.c.rawValue }

    /// The levels this CPU can run, lowest first.
    public static var supported: [KernelLevel] { allCases.filter(\.isSupported) }

    /// The highest level this CPU can run.
    public static var detected: KernelLevel { KernelLevel(kernels_level_detect()) }
}

/// The one place that chooses the kernels every product of the engine runs.
///
/// The choice is the CPU's highest level, or the level named by `$MNIST_REPORT_KERNELS`
/// (`baseline`, `avx2`, `avx512`) when that is set and this CPU can run it. Since every level
/// gives the same bits, the variable changes speed only: it is there to prove that, and to time
/// one level against another.
public enum ComputeKernels {
    /// The environment variable that asks for a level.
    public static let variable = "MNIST_REPORT_KERNELS"

    /// The level in use by this process.
    public static var level: KernelLevel { choice.level }

    /// Why `$MNIST_REPORT_KERNELS` was not followed, or nil when it was (or is unset). The
    /// engine then runs the detected level; a command line should refuse to go on.
    public static var problem: String? { choice.problem }

    /// The kernels of `level` for a test or a benchmark that runs one level explicitly.
    package static func table(_ level: KernelLevel) -> UnsafePointer<kernels_table> { kernels_for(level.c) }

    package static var table: UnsafePointer<kernels_table> { kernels_for(choice.level.c) }

    private static let choice: (level: KernelLevel, problem: String?) = {
        let detected = KernelLevel.detected
        var problem: String?
        var level = detected
        if let raw = getenv(variable).map({ String(cString: $0) }), !raw.isEmpty {
            if let asked = KernelLevel(rawValue: raw.lowercased()) {
                if asked.isSupported { level = asked } else {
                    problem = "\(variable)=\(raw) asks for kernels that need \(asked.requirement), which this CPU lacks; "
                        + "it can run: \(KernelLevel.supported.map(\.rawValue).joined(separator: ", "))"
                }
            } else {
                problem = "\(variable)=\(raw) is not a kernel level; expected one of "
                    + KernelLevel.allCases.map(\.rawValue).joined(separator: ", ")
            }
        }
        return (level, problem)
    }()
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
