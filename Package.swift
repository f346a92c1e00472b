// swift-tools-version:6.0
import Foundation
import PackageDescription

// The engine's own kernels (convolutions, element-wise loops) are written with 16-lane SIMD
// types; compiled for this machine's CPU they become AVX2 or AVX-512 with fused multiply-adds
// instead of SSE2 (which has no FMA). The binary is then for CPUs like the one that built it.
let nativeCPU: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "native"], .when(platforms: [.linux]))]
    + (buildingCPUHasAVX512 ? [.define("WIDE_VECTOR_REGISTERS")] : [])

/// Whether the CPU that builds (and, compiled natively, runs) the engine has AVX-512 and so 32
/// vector registers: a few kernels then keep twice as many sums in flight.
var buildingCPUHasAVX512: Bool {
    guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
          let flags = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return false }
    return flags.split(separator: " ").contains("avx512f")
}

let package = Package(
    name: "mnist-report",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "mnist-report", targets: ["mnist-report"]),
        .library(name: "NeuralEngine", targets: ["NeuralEngine"]),
        .library(name: "MNIST", targets: ["MNIST"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // C libraries, each entering through one tiny system-library target.
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CCairo", pkgConfig: "cairo", providers: [.apt(["libcairo2-dev"])]),

        // The floating-point control of a thread (flushing denormals), which Swift cannot reach.
        .target(name: "CFloatingPoint"),
        // Linux system calls Swift cannot make directly (renameat2, prctl).
        .target(name: "CSystemCalls"),
        // Files handed to the tool or named by the user: bounded reads of regular files only,
        // writes that follow the user's target, temporary names of the tool's own.
        .target(name: "Files", dependencies: ["CSystemCalls"]),
        // The neural engine: tensors, layers, losses, optimisers, training. No file I/O, no printing.
        .target(name: "NeuralEngine", dependencies: ["COpenBLAS", "CFloatingPoint"], swiftSettings: nativeCPU),
        // The MNIST IDX reader and the embedded, checksummed copy of the data set.
        .target(name: "MNIST", dependencies: ["CZlib", "Files"], resources: [.copy("Data")]),
        // The assignment's experiments as data: models, hyper-parameters, notebook numbers.
        .target(name: "Assignment", dependencies: ["NeuralEngine", "MNIST"]),
        // Figures as data, drawn through a renderer protocol; one Cairo renderer writes SVG and PNG.
        .target(name: "Plotting", dependencies: ["CCairo"]),
        // Reading 28 × 28 digit images (PNG) for classification.
        .target(name: "DigitImages", dependencies: ["CCairo", "Files"]),
        // The conclusions the report draws, as tested rules over plain numbers: the fit of a
        // training, the sweep's ranking and trend, a run against a published figure, the errors.
        .target(name: "Analysis"),
        // The report: results, the cache of trainings, figures, templates, comparison of runs.
        .target(name: "Report", dependencies: [
            "Analysis", "Assignment", "NeuralEngine", "MNIST", "Plotting", "Files",
            .product(name: "Mustache", package: "swift-mustache"),
        ]),
        // The thin command line.
        .executableTarget(name: "mnist-report", dependencies: [
            "NeuralEngine", "MNIST", "Assignment", "DigitImages", "Report", "Files", "CSystemCalls",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Fuzz harnesses of the readers of untrusted bytes (safetensors, IDX/gzip, PNG,
        // results.json), chosen by $FUZZ_TARGET: libFuzzer's entry points when built with
        // -sanitize=fuzzer -D FUZZING (scripts/fuzz), a replayer of inputs otherwise. Fuzz/README.md.
        .executableTarget(name: "mnist-report-fuzz", dependencies: [
            "NeuralEngine", "MNIST", "DigitImages", "Report", "Plotting", "CZlib",
        ]),

        .testTarget(name: "NeuralEngineTests", dependencies: ["NeuralEngine"]),
        .testTarget(name: "FilesTests", dependencies: ["Files"]),
        .testTarget(name: "MNISTTests", dependencies: ["MNIST", "CZlib"]),
        .testTarget(name: "PlottingTests", dependencies: ["Plotting"]),
        .testTarget(name: "DigitImagesTests", dependencies: ["DigitImages"]),
        .testTarget(name: "AnalysisTests", dependencies: ["Analysis"]),
        .testTarget(name: "ReportTests", dependencies: ["Report", "Analysis", "Assignment", "NeuralEngine", "MNIST"]),
    ]
)
