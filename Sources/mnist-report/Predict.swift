import ArgumentParser
import Assignment
import Training
import DigitImages
import Files
import Foundation
import MNIST
import NeuralEngine
import Results
import Pipeline
import Rendering

struct Predict: ParsableCommand, ConsoleCommand {
    static let configuration = CommandConfiguration(
        abstract: "Classifies 28 × 28 PNG images of digits with a saved model.",
        discussion: """
            The model is a safetensors file written by `mnist-report train … --save FILE` (its \
            architecture is in the file), or weights exported from Keras under Keras's names \
            (`dense/kernel`, `conv2d/bias`, …) together with --architecture. Images may be \
            grayscale, colour or palette PNGs, with alpha or a tRNS transparency key. \
            Transparency is set on paper first: in a mostly transparent image the opaque pixels \
            are the ink, shown on the opposite shade (white ink on black, dark ink on white); in \
            a mostly opaque one, transparent pixels take the paper's shade. A dark digit on a \
            light background is then inverted to MNIST's polarity and the output says so.

            Exit status: 0 when every image was classified; 1 when any image could not be: \
            unreadable, not 28 × 28, or blank (nearly uniform: "IMAGE: blank: nothing to \
            classify"). Such an image is reported on standard error (with --json, as its row's \
            "error", and "blank": true for a blank one) and the others are still classified.
            """)

    @Option(help: ArgumentHelp("The saved model (safetensors).", valueName: "file"))
    var model: String

    @Option(help: ArgumentHelp("The model the weights belong to, for files without architecture metadata: \(ModelKind.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "model"))
    var architecture: ModelKind?

    @Flag(help: "Print one JSON array instead of text.")
    var json = false

    @Option(help: "Probabilities shown per image in text output.")
    var top: Int = 3

    @Argument(help: ArgumentHelp("PNG images, 28 × 28 pixels.", valueName: "image"))
    var images: [String]

    func validate() throws {
        guard !images.isEmpty else { throw ValidationError("give at least one image") }
        guard (1...10).contains(top) else { throw ValidationError("--top must lie in 1…10, got \(top)") }
    }

    struct Row: Encodable {
        var file: String
        var label: Int?
        var probabilities: [Double]?
        var inverted: Bool?
        var error: String?
        /// True for an image with nothing to classify (its `error` says so in words).
        var blank: Bool?
    }

    func run() throws {
        let network = try loadModel()
        var rows: [Row] = []
        for path in images {
            do {
                let image = try DigitImage(contentsOf: path)
                let x = Tensor(shape: [1, 28, 28, 1], scalars: image.pixels.map { Float($0) / 255 })
                let p = try network.predict(x).scalars.map(Double.init)
                guard p.allSatisfy(\.isFinite) else {
                    throw CommandError("\(path): the model's output is not a number (\(p.first { !$0.isFinite }!)); the model cannot classify it")
                }
                let label = p.indices.max { p[$0] < p[$1] }!
                rows.append(Row(file: path, label: label, probabilities: p.map { ($0 * 1e6).rounded() / 1e6 }, inverted: image.inverted))
            } catch {
                let blank = if case DigitImage.Failure.blank = error { true } else { nil as Bool? }
                rows.append(Row(file: path, error: String(describing: error), blank: blank))
            }
        }
        if json {
            let encoder = JSONEncoder.pretty
            say(String(decoding: try encoder.encode(rows), as: UTF8.self))
        } else {
            for row in rows {
                // File names are the user's: printed without control characters.
                if let error = row.error {
                    printError("Error: \(UntrustedText.terminal(error))")
                    continue
                }
                let p = row.probabilities!
                let best = p.indices.sorted { p[$0] > p[$1] }.prefix(top)
                let list = best.map { "\($0): \(format(p[$0], 3))" }.joined(separator: "  ")
                say("\(UntrustedText.terminal(row.file)): \(row.label!)\(row.inverted! ? " (inverted: dark digit on light background)" : "")  [\(list)]")
            }
        }
        if rows.contains(where: { $0.error != nil }) { throw ExitCode(1) }
    }

    func loadModel() throws -> Sequential {
        do {
            let bytes = try InputFile.read(model, limit: SafeTensors.maximumFileSize, what: "a model file")
            let file = try SafeTensors.decode(bytes)
            let network: Sequential, matching: SafeTensors.NameMatching
            if let architecture, (try? file.architecture()) == nil {
                var unused = SeededGenerator(seed: 0)   // the weights are replaced from the file
                network = try TrainingSpec(model: architecture).makeModel(using: &unused)
                matching = try SafeTensors.load(file, into: network)
            } else {
                (network, matching) = try SafeTensors.modelAndMatching(from: file)
            }
            // Keras's per-session layer numbers (dense_3 for dense): say how the names were paired.
            if matching != .exact { note("\(UntrustedText.terminal(model)): \(matching)") }
            guard network.inputShape == [28, 28, 1], network.outputShape == [10] else {
                throw CommandError("\(model): the model maps \(network.inputShape) to \(network.outputShape), not 28 × 28 × 1 images to 10 classes")
            }
            return network
        } catch let error as SafeTensors.Failure {
            throw CommandError("\(model): \(error)")
        } catch let error as FileProblem {
            throw CommandError(error.description)
        }
    }
}

struct Digits: ParsableCommand, ConsoleCommand {
    static let configuration = CommandConfiguration(
        abstract: "Writes MNIST images as 28 × 28 PNG files (to try `predict` on).",
        discussion: """
            Files are named <index>-label<digit>.png, so the true label travels with the image. \
            A file of those names already in the folder is refused before anything is written, \
            unless --force.
            """)

    @Option(help: "Which split: train or test.")
    var split: String = "test"

    @Option(help: "How many images, from the first.")
    var count: Int = 100

    @Option(help: ArgumentHelp("The folder to write into (created if needed).", valueName: "dir"))
    var out: String

    @Flag(help: "Write black ink on white paper instead of MNIST's white on black.")
    var darkOnLight = false

    @Flag(help: "Replace files of the same names in the folder (a symbolic link is replaced, never followed); without it they are refused.")
    var force = false

    @OptionGroup var machine: MachineOptions

    func validate() throws {
        guard ["train", "test"].contains(split) else { throw ValidationError("--split must be train or test, got \(split)") }
        try Bounds.check("--count", count, within: 1...MNISTSplit.trainingCount, because: "the size of the training split")
    }

    func run() throws { try withComputeThreads(machine.threads) { try execute() } }

    func execute() throws {
        let dataset = try machine.prepare()
        let data = split == "test" ? dataset.test : dataset.train
        try OutputFolder.prepare(out, option: "--out")
        let n = min(count, data.count)
        let names = (0..<n).map { "\($0)-label\(data.labels[$0]).png" }
        let writer = FolderWriter(folder: out, option: "--out", replacing: force)
        try writer.checkFree(names)
        for (i, name) in names.enumerated() {
            try writer.write(try DigitImage.png(pixels: Array(data.image(i)), darkOnLight: darkOnLight), named: name)
        }
        say("Wrote \(n) image\(n == 1 ? "" : "s") to \(out)")
    }
}
