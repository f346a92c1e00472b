import CZlib
import DigitImages
import Foundation
import MNIST
import NeuralEngine
import PNGEncoding
import Results

/// The committed seed corpus (`Fuzz/corpus/<target>/`): a few small, valid inputs per target
/// that reach each reader's main paths, from which the fuzzer mutates. Regenerated with
/// `mnist-report-fuzz seeds Fuzz/corpus`; every file stays under 20 KB.
enum SeedCorpus {
    /// Writes every target's seeds into `directory/<target>/` and returns the paths written.
    static func write(to directory: String) throws -> [String] {
        let digits = try testDigits(count: 3)
        var written: [String] = []
        for target in FuzzTarget.allCases {
            let folder = (directory as NSString).appendingPathComponent(target.rawValue)
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            for (name, bytes) in try seeds(target, digits: digits) {
                precondition(bytes.count <= target.maximumLength, "seed \(name) is longer than \(target)'s maximum length")
                let path = (folder as NSString).appendingPathComponent(name)
                try Data(bytes).write(to: URL(fileURLWithPath: path))
                written.append(path)
            }
        }
        return written
    }

    static func seeds(_ target: FuzzTarget, digits: [[UInt8]]) throws -> [(String, [UInt8])] {
        switch target {
        case .safetensors: return try modelSeeds()
        case .idx: return try idxSeeds(digits)
        case .png: return try pngSeeds(digits)
        case .results: return try resultsSeeds()
        }
    }

    /// The first `count` MNIST test images, from the package's embedded copy.
    static func testDigits(count: Int) throws -> [[UInt8]] {
        guard let folder = MNISTDataset.embeddedDirectory else { throw ReportError("the embedded MNIST data cannot be found") }
        let path = (folder as NSString).appendingPathComponent("t10k-images-idx3-ubyte.gz")
        let file = try IDXFile(bytes: GzipFile.read(path: path, limit: MNISTDataset.maximumFileSize), path: path,
                               expectedDimensions: [nil, 28, 28])
        return (0..<count).map { Array(file.payload[($0 * 784)..<(($0 + 1) * 784)]) }
    }

    // MARK: safetensors

    /// Tiny models that between them use every kind of layer, both paddings and a stride.
    static func modelSeeds() throws -> [(String, [UInt8])] {
        func file(_ layers: [LayerConfiguration], input: [Int]) throws -> [UInt8] {
            let model = Sequential(configurations: layers)
            var generator = SeededGenerator(seed: 1)
            try model.build(inputShape: input, using: &generator)
            return try SafeTensors.encode(model)
        }
        let dense = try file([.dense(units: 3, activation: .softmax, l2: nil)], input: [4])
        return [
            ("dense.safetensors", dense),
            // Headers the format's reference loader refuses, one rule each, so that the fuzzer
            // starts next to each check: tensors that overlap, a name twice, bytes left over.
            ("overlapping-offsets.safetensors", try rewrittenHeader(dense) { header in
                // The tensor at the start moved 4 bytes on, into the next one.
                for (name, value) in header {
                    guard var entry = value as? [String: Any], let offsets = entry["data_offsets"] as? [Int], offsets[0] == 0 else { continue }
                    entry["data_offsets"] = [offsets[0] + 4, offsets[1] + 4]
                    header[name] = entry
                }
                return nil
            }),
            ("duplicate-name.safetensors", try rewrittenHeader(dense) { header in
                let name = header.keys.filter { $0 != "__metadata__" }.sorted()[0]
                return name
            }),
            ("trailing-bytes.safetensors", dense + [0, 0, 0, 0, 0, 0, 0, 0]),
            ("cnn.safetensors", try file([
                .conv2D(filters: 2, kernelSize: 3, strides: 1, padding: .valid, activation: .relu, l2: nil),
                .maxPooling2D(poolSize: 2, strides: 2), .flatten,
                .dense(units: 5, activation: .relu, l2: 1e-4), .dropout(rate: 0.5),
                .dense(units: 3, activation: .softmax, l2: nil),
            ], input: [6, 6, 1])),
            ("lenet-like.safetensors", try file([
                .zeroPadding2D(padding: 1),
                .conv2D(filters: 2, kernelSize: 3, strides: 2, padding: .same, activation: .linear, l2: 1e-5),
                .averagePooling2D(poolSize: 2, strides: 1), .flatten,
                .dense(units: 2, activation: .softmax, l2: nil),
            ], input: [5, 5, 2])),
        ]
    }

    /// `model` (a safetensors file) with its header rewritten by `edit`; when `edit` returns a
    /// tensor's name, that tensor's entry is written a second time at the header's start.
    static func rewrittenHeader(_ model: [UInt8], _ edit: (inout [String: Any]) -> String?) throws -> [UInt8] {
        let length = Int(model[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        var header = try JSONSerialization.jsonObject(with: Data(model[8..<(8 + length)])) as? [String: Any] ?? [:]
        let repeated = edit(&header)
        var text = String(decoding: try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
        if let repeated, let entry = header[repeated] {
            let json = String(decoding: try JSONSerialization.data(withJSONObject: entry, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
            text = "{\"\(repeated)\":\(json)," + text.dropFirst()
        }
        while text.utf8.count % 8 != 0 { text += " " }
        let size = UInt64(text.utf8.count)
        return (0..<8).map { UInt8(truncatingIfNeeded: size >> (8 * UInt64($0))) } + Array(text.utf8) + model[(8 + length)...]
    }

    // MARK: idx

    static func idxHeader(dimensions: [Int]) -> [UInt8] {
        ([UInt32(0x800 | dimensions.count)] + dimensions.map { UInt32($0) })
            .flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> (24 - 8 * $0)) } }
    }

    /// Image and label files, raw and gzip'd (one of two gzip members).
    static func idxSeeds(_ digits: [[UInt8]]) throws -> [(String, [UInt8])] {
        let images = idxHeader(dimensions: [2, 28, 28]) + digits[0] + digits[1]
        let labels = idxHeader(dimensions: [5]) + [7, 2, 1, 0, 4]
        let moreImages = idxHeader(dimensions: [3, 28, 28]) + digits.joined()
        return [
            ("images-raw.idx", images),
            ("labels-raw.idx", labels),
            ("images.idx.gz", try gzip(moreImages)),
            ("labels-two-members.idx.gz", try gzip(Array(labels.prefix(9))) + gzip(Array(labels.dropFirst(9)))),
        ]
    }

    /// `bytes` as a gzip file, written and read back through zlib's gz functions.
    static func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let path = NSTemporaryDirectory() + "mnist-report-fuzz-\(getpid())-\(UUID().uuidString).gz"
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard let file = gzopen(path, "wb9") else { throw ReportError("cannot write \(path)") }
        let written = bytes.withUnsafeBytes { gzwrite(file, $0.baseAddress, UInt32($0.count)) }
        guard gzclose(file) == Z_OK, written == Int32(bytes.count) else { throw ReportError("cannot compress into \(path)") }
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    // MARK: png

    /// A digit as cairo writes it (RGB), and as the PNG colour types libpng converts for
    /// cairo: 8-bit grey, grey with alpha, RGBA, a palette with transparency, 16-bit grey.
    static func pngSeeds(_ digits: [[UInt8]]) throws -> [(String, [UInt8])] {
        let digit = digits[0]
        let path = NSTemporaryDirectory() + "mnist-report-fuzz-\(getpid())-\(UUID().uuidString).png"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try DigitImage.writePNG(pixels: digits[1], to: path, darkOnLight: true)
        let cairo = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let palette: [UInt8] = (0..<16).flatMap { (level: Int) -> [UInt8] in [UInt8](repeating: UInt8(level * 17), count: 3) }
        return [
            ("cairo-rgb.png", cairo),
            ("gray8.png", PNGEncoder.encode(.grey, samples: digit)),
            ("gray-alpha.png", PNGEncoder.encode(.greyAlpha, samples: digit.flatMap { [255 - $0, $0] })),
            ("rgba.png", PNGEncoder.encode(.rgba, samples: digit.flatMap { [$0, $0 / 2, 255 - $0, 255] })),
            ("palette.png", PNGEncoder.encode(.palette, samples: digit.map { $0 >> 4 }, extra: [("PLTE", palette), ("tRNS", [0])])),
            ("gray16.png", PNGEncoder.encode(.grey, bitDepth: 16, samples: digit.flatMap { [$0, $0] })),
        ]
    }

    // MARK: results

    /// The committed quick baseline, trimmed: every training without its test predictions;
    /// LeNet-5 alone with its 10,000 predictions (for the figure of its mistakes); 2.3 alone.
    static func resultsSeeds() throws -> [(String, [UInt8])] {
        let baseline = try ResultsDocument.read(path: "reports/ci-baseline/results.json")
        func json(_ trainings: [TrainingRecord]) throws -> [UInt8] {
            var document = baseline
            document.trainings = trainings
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return [UInt8](try encoder.encode(document))
        }
        var withoutPredictions = baseline.trainings
        for i in withoutPredictions.indices { withoutPredictions[i].testPredictions = "" }
        let lenet = try baseline.training(.s3_1).map { [$0] } ?? { throw ReportError("the baseline has no training 3.1") }()
        return [
            ("all-trainings.json", try json(withoutPredictions)),
            ("lenet5-predictions.json", try json(lenet)),
            ("mlp64-only.json", try json(withoutPredictions.filter { $0.id == "2.3" })),
        ]
    }
}
