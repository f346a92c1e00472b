// swift-tools-version:6.0
import PackageDescription

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

        // The engine's compute kernels in C, compiled for several x86-64 levels inside one binary
        // (baseline, AVX2 + FMA, AVX-512) and chosen at run time; the same bits at every level.
        .target(name: "CKernels"),
        // The floating-point control of a thread (flushing denormals), which Swift cannot reach.
        .target(name: "CFloatingPoint"),
        // Linux system calls Swift cannot make directly (renameat2, prctl).
        .target(name: "CSystemCalls"),
        // Files handed to the tool or named by the user: bounded reads of regular files only,
        // writes that follow the user's target, temporary names of the tool's own.
        .target(name: "Files", dependencies: ["CSystemCalls"]),
        // Models as data: each layer type's configuration, its checks, shapes and weights, and
        // the bounds a model read from a file is held to. No engine: the report reads it too.
        .target(name: "Architecture"),
        // The neural engine: tensors, layers, losses, optimisers, training. No file I/O, no printing.
        // It re-exports Architecture, whose types (LayerConfiguration, Activation) are its API.
        .target(name: "NeuralEngine", dependencies: ["Architecture", "CKernels", "CFloatingPoint"]),
        // OpenBLAS as `bench`'s yardstick for the engine's products (the engine does not use it).
        .target(name: "OpenBLASReference", dependencies: ["COpenBLAS"]),
        // The MNIST IDX reader and the embedded, checksummed copy of the data set.
        .target(name: "MNIST", dependencies: ["CZlib", "Files"], resources: [.copy("Data")]),
        // The assignment's experiments as data: models, hyper-parameters, notebook numbers.
        .target(name: "Assignment", dependencies: ["NeuralEngine", "MNIST"]),
        // Figures as data, drawn through a renderer protocol; one Cairo renderer writes SVG and PNG.
        .target(name: "Plotting", dependencies: ["CCairo", "Files"]),
        // Reading 28 × 28 digit images (PNG) for classification.
        .target(name: "DigitImages", dependencies: ["CCairo", "Files"]),
        // PNGs written byte by byte, of the kinds cairo does not write: for the tests and fuzz seeds.
        .target(name: "PNGEncoding", dependencies: ["CZlib"]),
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
            "NeuralEngine", "MNIST", "Assignment", "DigitImages", "Report", "Files", "CSystemCalls", "OpenBLASReference",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Fuzz harnesses of the readers of untrusted bytes (safetensors, IDX/gzip, PNG,
        // results.json), chosen by $FUZZ_TARGET: libFuzzer's entry points when built with
        // -sanitize=fuzzer -D FUZZING (scripts/fuzz), a replayer of inputs otherwise. Fuzz/README.md.
        .executableTarget(name: "mnist-report-fuzz", dependencies: [
            "NeuralEngine", "MNIST", "DigitImages", "PNGEncoding", "Report", "Plotting", "CZlib",
        ]),

        .testTarget(name: "ArchitectureTests", dependencies: ["Architecture"]),
        .testTarget(name: "NeuralEngineTests", dependencies: ["NeuralEngine", "CKernels"]),
        .testTarget(name: "FilesTests", dependencies: ["Files"]),
        .testTarget(name: "MNISTTests", dependencies: ["MNIST", "CZlib"]),
        .testTarget(name: "PlottingTests", dependencies: ["Plotting"]),
        .testTarget(name: "DigitImagesTests", dependencies: ["DigitImages", "PNGEncoding"]),
        .testTarget(name: "AnalysisTests", dependencies: ["Analysis"]),
        .testTarget(name: "AssignmentTests", dependencies: ["Assignment", "NeuralEngine"]),
        .testTarget(name: "ReportTests", dependencies: ["Report", "Analysis", "Assignment", "NeuralEngine", "MNIST"]),
    ]
)
