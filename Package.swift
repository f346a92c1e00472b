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
        // Models and trainings as data: each layer type's configuration, its checks, shapes and
        // weights, the bounds a model read from a file is held to, the optimiser's configuration
        // and schedule, a training's history, the seeded generator. No engine: the report reads it too.
        .target(name: "Architecture"),
        // The neural engine: tensors, layers, losses, optimisers, training. No file I/O, no printing.
        // It re-exports Architecture, whose types (LayerConfiguration, Activation) are its API.
        .target(name: "NeuralEngine", dependencies: ["Architecture", "CKernels", "CFloatingPoint"]),
        // OpenBLAS as `bench`'s yardstick for the engine's products (the engine does not use it).
        .target(name: "OpenBLASReference", dependencies: ["COpenBLAS"]),
        // The MNIST IDX reader and the embedded, checksummed copy of the data set.
        .target(name: "MNIST", dependencies: ["CZlib", "Files"], resources: [.copy("Data")]),
        // The assignment's experiments as data: the catalogue of models, sections and
        // hyper-parameters, the plan a profile derives from it, the notebook's and the
        // literature's numbers. No engine and no data set: every stage reads it.
        .target(name: "Assignment", dependencies: ["Architecture"]),
        // The assignment's models built and trained by the engine on MNIST: the preprocessing,
        // the trainer, the benchmarks of `bench`.
        .target(name: "Training", dependencies: ["Assignment", "NeuralEngine", "MNIST"]),
        // Figures as data, drawn through a renderer protocol; one Cairo renderer writes SVG and PNG.
        .target(name: "Plotting", dependencies: ["CCairo", "Files"]),
        // Reading 28 × 28 digit images (PNG) for classification.
        .target(name: "DigitImages", dependencies: ["CCairo", "Files"]),
        // PNGs written byte by byte, of the kinds cairo does not write: for the tests and fuzz seeds.
        .target(name: "PNGEncoding", dependencies: ["CZlib"]),
        // The conclusions the report draws, as tested rules over plain numbers: the fit of a
        // training, the sweep's ranking and trend, a run against a published figure, the errors.
        .target(name: "Analysis"),
        // The report in three stages. Results: the schema of results.json and its validation,
        // the comparison of two runs and the gate, the history across commits, git and the
        // machine as a run records them. No engine, no data set, no drawing.
        .target(name: "Results", dependencies: ["Analysis", "Assignment", "Architecture", "Files"]),
        // The pipeline: a build's trainings run (BuildRunner, child jobs, shards), the cache of
        // trainings and its merge, bisection over commits, a run's facts assembled.
        .target(name: "Pipeline", dependencies: [
            "Results", "Analysis", "Training", "Assignment", "Architecture", "NeuralEngine", "MNIST", "Files", "CSystemCalls",
        ]),
        // The rendering: a pure function of a results document (view models, figures, the Keras
        // and Swift listings, templates) and the report folder it is written into. It depends on
        // neither the engine nor the data set: everything it shows is recorded in results.json.
        .target(name: "Rendering", dependencies: [
            "Results", "Analysis", "Assignment", "Architecture", "Plotting", "Files", "CSystemCalls",
            .product(name: "Mustache", package: "swift-mustache"),
        ]),
        // A report end to end (ReportBuild: the pipeline, then the rendering) and rendered again
        // from its results alone (ReportRender): what `build` and `render` run.
        .target(name: "ReportBuild", dependencies: [
            "Pipeline", "Rendering", "Results", "Assignment", "Training", "MNIST", "Files",
        ]),
        // The thin command line: options parsed, then the stages called.
        .executableTarget(name: "mnist-report", dependencies: [
            "NeuralEngine", "MNIST", "Assignment", "Training", "DigitImages", "Results", "Pipeline", "Rendering", "ReportBuild", "Files",
            "CSystemCalls", "OpenBLASReference",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Fuzz harnesses of the readers of untrusted bytes (safetensors, IDX/gzip, PNG,
        // results.json), chosen by $FUZZ_TARGET: libFuzzer's entry points when built with
        // -sanitize=fuzzer -D FUZZING (scripts/fuzz), a replayer of inputs otherwise. Fuzz/README.md.
        .executableTarget(name: "mnist-report-fuzz", dependencies: [
            "NeuralEngine", "MNIST", "DigitImages", "PNGEncoding", "Results", "Rendering", "Plotting", "CZlib",
        ]),

        .testTarget(name: "ArchitectureTests", dependencies: ["Architecture"]),
        .testTarget(name: "NeuralEngineTests", dependencies: ["NeuralEngine", "CKernels"]),
        .testTarget(name: "FilesTests", dependencies: ["Files"]),
        .testTarget(name: "MNISTTests", dependencies: ["MNIST", "CZlib"]),
        .testTarget(name: "PlottingTests", dependencies: ["Plotting"]),
        .testTarget(name: "DigitImagesTests", dependencies: ["DigitImages", "PNGEncoding"]),
        .testTarget(name: "AnalysisTests", dependencies: ["Analysis"]),
        .testTarget(name: "AssignmentTests", dependencies: ["Assignment", "Architecture", "Training", "NeuralEngine", "MNIST"]),
        // The report's stages, each tested on its own, on the made-up runs of ReportFixtures.
        .target(name: "ReportFixtures", dependencies: ["Results", "Rendering", "Assignment", "Architecture", "MNIST", "NeuralEngine"],
                path: "Tests/ReportFixtures"),
        // Results: validation, comparison, the gate, history (and that what validation accepts renders).
        .testTarget(name: "ResultsTests", dependencies: ["Results", "Pipeline", "ReportFixtures", "Rendering", "Analysis", "Assignment", "NeuralEngine"]),
        .testTarget(name: "PipelineTests", dependencies: [
            "Pipeline", "Results", "Analysis", "Rendering", "ReportFixtures", "Assignment", "Training", "NeuralEngine", "MNIST",
        ]),
        // A report end to end: one short training built, taken from the cache, rendered again.
        .testTarget(name: "ReportBuildTests", dependencies: ["ReportBuild", "Pipeline", "Results", "Assignment", "ReportFixtures"]),
        // The command line: options parsed, bounds and messages, exit codes (the executable's own module).
        .testTarget(name: "CommandLineTests", dependencies: ["mnist-report", "Pipeline", "Results"]),
        // Rendering; its listings' weight counts are checked against the models the engine builds (Training).
        .testTarget(name: "RenderingTests", dependencies: [
            "Rendering", "Results", "ReportFixtures", "Analysis", "Assignment", "Plotting", "Training", "NeuralEngine",
        ]),
    ]
)
