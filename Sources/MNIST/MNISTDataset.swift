import Files
import Foundation

/// One split of MNIST: 28 × 28 grayscale images as raw bytes (0 = background) and labels 0–9.
public struct MNISTSplit: Sendable {
    public static let rows = 28, columns = 28
    /// The images of the standard training and test splits.
    public static let trainingCount = 60_000, testCount = 10_000
    /// Row-major pixels, `rows · columns` bytes per image.
    public var pixels: [UInt8]
    public var labels: [UInt8]
    public var count: Int { labels.count }

    public init(pixels: [UInt8], labels: [UInt8]) {
        precondition(pixels.count == labels.count * Self.rows * Self.columns, "pixel and label counts disagree")
        (self.pixels, self.labels) = (pixels, labels)
    }

    /// The first `count` items (for quick runs and tests).
    public func prefix(_ count: Int) -> MNISTSplit {
        let n = min(count, self.count)
        return MNISTSplit(pixels: Array(pixels[0..<(n * Self.rows * Self.columns)]), labels: Array(labels[0..<n]))
    }

    /// The pixels of image `index`.
    public func image(_ index: Int) -> ArraySlice<UInt8> {
        let size = Self.rows * Self.columns
        return pixels[(index * size)..<((index + 1) * size)]
    }

    /// How many images of each digit.
    public var labelCounts: [Int] {
        labels.reduce(into: [Int](repeating: 0, count: 10)) { $0[Int($1)] += 1 }
    }
}

/// The MNIST database (LeCun, Cortes and Burges): 60,000 training and 10,000 test images.
public struct MNISTDataset: Sendable {
    public var train: MNISTSplit
    public var test: MNISTSplit
    /// Where the files were read from.
    public var directory: String
    /// A digest of the four files' uncompressed SHA-256 digests: one identity for the data.
    public var checksum: String

    /// The standard file names and the SHA-256 of their uncompressed bytes (from the
    /// distribution's README, whose MD5 column matches the original publication).
    public static let files: [(name: String, sha256: String)] = [
        ("train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
        ("train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
        ("t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
        ("t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"),
    ]

    /// The most bytes read from one data file, compressed or not (the largest, the training
    /// images, holds 47,040,016).
    public static let maximumFileSize = 64 << 20

    /// The environment variable that points at another data folder.
    public static let environmentVariable = "MNIST_DATA_DIR"

    /// The copy shipped inside the package.
    public static var embeddedDirectory: String? {
        let bundle = Bundle.module
        let candidates = [bundle.bundleURL, bundle.resourceURL].compactMap { $0?.appendingPathComponent("Data") }
        return candidates.first { FileManager.default.fileExists(atPath: $0.path) }?.path
    }

    /// Loads and verifies MNIST from `directory`, else from `$MNIST_DATA_DIR`, else from the
    /// embedded copy. Files may be gzip-compressed (`.gz`) or not.
    /// - Parameter verifyChecksums: compare each file's SHA-256 with the published one; turn
    ///   off only for data known to differ (a subset, a test fixture).
    /// - Throws: `MNISTError` naming the file and what is wrong.
    public static func load(directory: String? = nil, verifyChecksums: Bool = true) throws -> MNISTDataset {
        let environment = ProcessInfo.processInfo.environment[environmentVariable].flatMap { $0.isEmpty ? nil : $0 }
        guard let folder = directory ?? environment ?? embeddedDirectory else {
            throw MNISTError.missingFile(path: files[0].name, directory: "the package resources")
        }
        if let kind = InputFile.kind(folder), kind != .directory {
            throw MNISTError.unreadable(path: folder, reason: "is \(kind.phrase), not the folder of the four MNIST files")
        }
        var digests: [String] = []
        func read(_ index: Int, expected: [Int?]) throws -> (IDXFile, String) {
            let (name, sha) = files[index]
            let path = try locate(name, in: folder)
            let bytes = try GzipFile.read(path: path, limit: maximumFileSize)
            if verifyChecksums {
                let found = SHA256.hex(of: bytes)
                guard found == sha else { throw MNISTError.checksumMismatch(path: path, expected: sha, found: found) }
                digests.append(found)
            } else {
                digests.append(SHA256.hex(of: bytes))
            }
            return (try IDXFile(bytes: bytes, path: path, expectedDimensions: expected), path)
        }
        func split(images: Int, labels: Int) throws -> MNISTSplit {
            let (imageFile, imagePath) = try read(images, expected: [nil, MNISTSplit.rows, MNISTSplit.columns])
            let (labelFile, labelPath) = try read(labels, expected: [nil])
            if let bad = labelFile.payload.firstIndex(where: { $0 > 9 }) {
                throw MNISTError.labelOutOfRange(path: labelPath, index: bad, value: labelFile.payload[bad])
            }
            guard imageFile.dimensions[0] == labelFile.dimensions[0] else {
                throw MNISTError.countMismatch(images: imagePath, labels: labelPath,
                                               imageCount: imageFile.dimensions[0], labelCount: labelFile.dimensions[0])
            }
            return MNISTSplit(pixels: imageFile.payload, labels: labelFile.payload)
        }
        let train = try split(images: 0, labels: 1)
        let test = try split(images: 2, labels: 3)
        let checksum = SHA256.hex(of: Array(digests.joined(separator: "\n").utf8))
        return MNISTDataset(train: train, test: test, directory: folder, checksum: checksum)
    }

    /// The path of `name` or `name.gz` in `folder`.
    static func locate(_ name: String, in folder: String) throws -> String {
        let manager = FileManager.default
        for candidate in [name, name + ".gz"] {
            let path = (folder as NSString).appendingPathComponent(candidate)
            if manager.fileExists(atPath: path) { return path }
        }
        throw MNISTError.missingFile(path: name + "[.gz]", directory: folder)
    }
}
