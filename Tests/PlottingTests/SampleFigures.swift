import Foundation
import Plotting
import Testing

/// Writes one figure of each kind as SVG and PNG into the folder named by the environment
/// variable `PLOT_SAMPLES`, for looking at them; skipped when it is not set.
///
///     PLOT_SAMPLES=/tmp/plot-samples swift test --filter PlottingTests.SampleFigures
@Suite(.enabled(if: ProcessInfo.processInfo.environment["PLOT_SAMPLES"] != nil))
struct SampleFigures {
    let folder = ProcessInfo.processInfo.environment["PLOT_SAMPLES"] ?? ""

    /// Writes the figure, then checks that what was written is an SVG document and a PNG image.
    func write(_ figure: some Figure, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let (svg, png) = ("\(folder)/\(name).svg", "\(folder)/\(name).png")
        try render(figure, svgTo: svg, pngTo: png)
        let svgText = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(svgText.contains("<svg") && svgText.contains("</svg>"), "\(svg) is not an SVG document", sourceLocation: sourceLocation)
        let pngBytes = try Data(contentsOf: URL(fileURLWithPath: png))
        #expect(pngBytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) && pngBytes.count > 1000,
                "\(png) is not a PNG image of a figure", sourceLocation: sourceLocation)
    }

    @Test func lineChart() throws {
        let epochs = (1...20).map(Double.init)
        func curve(_ start: Double, _ end: Double, _ rate: Double, wobble: Double) -> [(x: Double, y: Double)] {
            epochs.map { e in (e, end - (end - start) * exp(-rate * (e - 1)) + wobble * sin(e * 2.3)) }
        }
        let chart = LineChart(title: "MLP (500 hidden units): accuracy per epoch", xLabel: "epoch", yLabel: "accuracy", series: [
            .init(name: "training", points: curve(0.905, 0.996, 0.28, wobble: 0.0005), color: .blue),
            .init(name: "validation", points: curve(0.941, 0.981, 0.35, wobble: 0.0015), color: .orange,
                  dashed: true, markers: true),
            .init(name: "notebook, validation", points: curve(0.938, 0.979, 0.3, wobble: 0.001), color: .green),
        ])
        try write(chart, "line-chart")
    }

    @Test func errorBarChart() throws {
        func runs(_ mean: Double, _ spread: Double) -> [Double] {
            [-1.3, 0.4, 1.1, -0.2, 0.6].map { mean + spread * $0 }
        }
        let chart = ErrorBarChart(
            title: "Test accuracy over five runs", xLabel: "model", yLabel: "test accuracy",
            xAxis: .categories(["MLP 64", "MLP 500", "MLP 500 + L2", "LeNet-5"]),
            groups: [
                .init(name: "this run", color: .blue, measurements: [
                    .init(x: 0, replicates: runs(0.9712, 0.0012)), .init(x: 1, replicates: runs(0.9803, 0.0009)),
                    .init(x: 2, replicates: runs(0.9821, 0.0007)), .init(x: 3, replicates: runs(0.9887, 0.0006)),
                ]),
                .init(name: "second run", color: .orange, measurements: [
                    .init(x: 0, replicates: runs(0.9705, 0.0015)), .init(x: 1, replicates: runs(0.9811, 0.0008)),
                    .init(x: 2, replicates: runs(0.9817, 0.0010)), .init(x: 3, replicates: runs(0.9891, 0.0005)),
                ]),
            ],
            references: [.init(name: "notebook", color: .darkGray,
                               points: [(0, 0.9698), (1, 0.9795), (2, 0.9830), (3, 0.9880)])])
        try write(chart, "error-bar-chart")
    }

    @Test func imageGrid() throws {
        let (images, labels) = try Self.mnistTestSet()
        let correct = (0..<8).map { i in
            ImageGrid.Cell(pixels: Array(images[(i * 784)..<((i + 1) * 784)]), caption: "\(labels[i])")
        }
        let wrong = (8..<16).map { i in
            ImageGrid.Cell(pixels: Array(images[(i * 784)..<((i + 1) * 784)]),
                           caption: "true \(labels[i]) → pred \((labels[i] + 3) % 10)", captionColor: .red)
        }
        try write(ImageGrid(title: "Test digits and (made-up) misclassifications", columns: 8, cells: correct + wrong),
                  "image-grid")
    }

    /// The first 16 MNIST test images (784 bytes each) and labels, from the package's copy.
    static func mnistTestSet() throws -> ([UInt8], [Int]) {
        let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/MNIST/Data").standardized
        func gunzip(_ name: String) throws -> [UInt8] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "gzip -dc '\(data.appendingPathComponent(name).path)' | head -c 20000"]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let bytes = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return [UInt8](bytes)
        }
        let images = try gunzip("t10k-images-idx3-ubyte.gz").dropFirst(16)
        let labels = try gunzip("t10k-labels-idx1-ubyte.gz").dropFirst(8).prefix(16).map(Int.init)
        return (Array(images.prefix(16 * 784)), labels)
    }
}
