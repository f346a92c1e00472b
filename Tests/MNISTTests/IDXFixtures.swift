import CZlib
import Foundation
import MNIST

/// Writes small MNIST-shaped IDX files into a fresh temporary folder.
struct IDXFixtures {
    let directory: String

    init() throws {
        directory = NSTemporaryDirectory() + "mnist-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }

    static func header(magic: UInt32, dimensions: [Int]) -> [UInt8] {
        ([magic] + dimensions.map { UInt32($0) }).flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> (24 - 8 * $0)) } }
    }

    static func images(count: Int) -> [UInt8] {
        header(magic: 0x803, dimensions: [count, 28, 28]) + (0..<(count * 784)).map { UInt8(truncatingIfNeeded: $0 * 7) }
    }

    static func labels(_ values: [UInt8]) -> [UInt8] {
        header(magic: 0x801, dimensions: [values.count]) + values
    }

    /// Writes `bytes` as `name`, gzip-compressed when `gzip` (then the name gets `.gz`).
    func write(_ name: String, _ bytes: [UInt8], gzip: Bool = false) throws {
        let path = (directory as NSString).appendingPathComponent(gzip ? name + ".gz" : name)
        if gzip {
            guard let file = gzopen(path, "wb") else { throw CocoaError(.fileWriteUnknown) }
            _ = bytes.withUnsafeBytes { gzwrite(file, $0.baseAddress, UInt32($0.count)) }
            gzclose(file)
        } else {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        }
    }

    /// A complete, valid tiny data set: 5 training and 3 test items.
    func writeValidSet(gzip: Bool = false) throws {
        try write("train-images-idx3-ubyte", Self.images(count: 5), gzip: gzip)
        try write("train-labels-idx1-ubyte", Self.labels([0, 1, 2, 3, 9]), gzip: gzip)
        try write("t10k-images-idx3-ubyte", Self.images(count: 3), gzip: gzip)
        try write("t10k-labels-idx1-ubyte", Self.labels([4, 5, 6]), gzip: gzip)
    }

    func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }
}
