import Foundation
import MNIST
import Testing

@Suite("IDX reader and data set loading")
struct IDXReaderTests {
    /// Loads the fixture folder without checksums (the fixtures are not MNIST).
    func load(_ fixtures: IDXFixtures) throws -> MNISTDataset {
        try MNISTDataset.load(directory: fixtures.directory, verifyChecksums: false)
    }

    @Test(arguments: [false, true])
    func readsAValidSetCompressedOrNot(gzip: Bool) throws {
        let fixtures = try IDXFixtures()
        defer { fixtures.remove() }
        try fixtures.writeValidSet(gzip: gzip)
        let data = try load(fixtures)
        #expect(data.train.count == 5 && data.test.count == 3)
        #expect(data.train.labels == [0, 1, 2, 3, 9])
        #expect(Array(data.train.image(1).prefix(2)) == [UInt8(truncatingIfNeeded: 784 * 7), UInt8(truncatingIfNeeded: 785 * 7)])
    }

    @Test func missingFileIsNamed() throws {
        let fixtures = try IDXFixtures()
        defer { fixtures.remove() }
        try fixtures.writeValidSet()
        try FileManager.default.removeItem(atPath: fixtures.path("t10k-labels-idx1-ubyte"))
        let error = try #require(throws: MNISTError.self) { try load(fixtures) }
        #expect(error.description.contains("t10k-labels-idx1-ubyte"))
        #expect(error.description.contains("missing"))
    }

    @Test func wrongMagicNumberIsReported() throws {
        let fixtures = try IDXFixtures()
        defer { fixtures.remove() }
        try fixtures.writeValidSet()
        // A label file where an image file belongs.
        try fixtures.write("train-images-idx3-ubyte", IDXFixtures.labels([1, 2]))
        let error = try #require(throws: MNISTError.self) { try load(fixtures) }
        guard case let .wrongMagic(path, expected, found) = error else { Issue.record("got \(error)"); return }
        #expect(path.hasSuffix("train-images-idx3-ubyte") && expected == 0x803 && found == 0x801)
        #expect(error.description.contains("0x00000801"))
    }

    @Test func wrongDimensionsAreReported() throws {
        let fixtures = try IDXFixtures()
        defer { fixtures.remove() }
        try fixtures.writeValidSet()
        try fixtures.write("t10k-images-idx3-ubyte", IDXFixtures.header(magic: 0x803, dimensions: [1, 32, 32]) + [UInt8](repeating: 0, count: 1024))
        let error = try #require(throws: MNISTError.self) { try load(fixtures) }
        #expect(error == .wrongDimensions(path: fixtures.path("t10k-images-idx3-ubyte"), expected: "N × 28 × 28", found: [1, 32, 32]))
    }

    @Test(arguments: [false, true])
    func truncatedPayloadIsReported(gzip: Bool) throws {
        let fixtures = try IDXFixtures()
        defer { fixtures.remove() }
        try fixtures.writeValidSet(gzip: gzip)
        try fixtures.write("train-images-idx3-ubyte", Array(IDXFixtures.images(count: 5).dropLast(100)), gzip: gzip)
        let error = try #require(throws: MNISTError.self) { try load(fixtures) }
        guard case let .truncatedPayload(_, expected, found) = error else { Issue.record("got \(error)"); return }
        #expect(expected == 5 * 784 && found == 5 * 784 - 100)
    }

    @Test func headerShorterThanItsDimensionsIsReported() throws {
        let fixtures = try IDXFixtures()
        defer { fixtures.remove() }
        try fixtures.writeValidSet()
        try fixtures.write("train-labels-idx1-ubyte", [0, 0, 8, 1, 0])
        #expect(throws: MNISTError.tooShort(path: fixtures.path("train-labels-idx1-ubyte"), bytes: 5)) { try load(fixtures) }
    }

    @Test func labelOutOfRangeIsReported() throws {
        let fixtures = try IDXFixtures()
        defer { fixtures.remove() }
        try fixtures.writeValidSet()
        try fixtures.write("t10k-labels-idx1-ubyte", IDXFixtures.labels([4, 12, 6]))
        #expect(throws: MNISTError.labelOutOfRange(path: fixtures.path("t10k-labels-idx1-ubyte"), index: 1, value: 12)) {
            try load(fixtures)
        }
    }

    @Test func countMismatchBetweenImagesAndLabelsIsReported() throws {
        let fixtures = try IDXFixtures()
        defer { fixtures.remove() }
        try fixtures.writeValidSet()
        try fixtures.write("t10k-labels-idx1-ubyte", IDXFixtures.labels([4, 5]))
        let error = try #require(throws: MNISTError.self) { try load(fixtures) }
        guard case .countMismatch = error else { Issue.record("got \(error)"); return }
    }

    @Test func checksumMismatchIsReportedWhenVerifying() throws {
        let fixtures = try IDXFixtures()
        defer { fixtures.remove() }
        try fixtures.writeValidSet()
        let error = try #require(throws: MNISTError.self) {
            try MNISTDataset.load(directory: fixtures.directory, verifyChecksums: true)
        }
        guard case let .checksumMismatch(path, expected, _) = error else { Issue.record("got \(error)"); return }
        #expect(path.hasSuffix("train-images-idx3-ubyte"))
        #expect(expected == MNISTDataset.files[0].sha256)
    }

    @Test func corruptGzipIsReported() throws {
        let fixtures = try IDXFixtures()
        defer { fixtures.remove() }
        try fixtures.writeValidSet(gzip: true)
        let path = fixtures.path("train-labels-idx1-ubyte.gz")
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        bytes.removeLast(bytes.count / 2)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: MNISTError.self) { try load(fixtures) }
        #expect(error.description.contains("train-labels-idx1-ubyte.gz"))
    }

    /// 100 MiB of zeros compress to about 100 KB: read whole, they took gigabytes in all.
    @Test func aGzipBombStopsAtTheLimit() throws {
        let fixtures = try IDXFixtures()
        defer { fixtures.remove() }
        try fixtures.write("bomb", [UInt8](repeating: 0, count: 100 << 20), gzip: true)
        let path = fixtures.path("bomb.gz")
        let error = try #require(throws: MNISTError.self) { try GzipFile.read(path: path, limit: 1 << 20) }
        #expect(error == .unreadable(path: path, reason: "decompresses to more than 1 MiB, the most accepted for an MNIST file"))
    }

    @Test func aMultiMemberGzipFileIsReadWhole() throws {
        let fixtures = try IDXFixtures()
        defer { fixtures.remove() }
        try fixtures.write("a", [1, 2, 3], gzip: true)
        try fixtures.write("b", [4, 5], gzip: true)
        let joined = try [UInt8](Data(contentsOf: URL(fileURLWithPath: fixtures.path("a.gz"))))
            + [UInt8](Data(contentsOf: URL(fileURLWithPath: fixtures.path("b.gz"))))
        #expect(try GzipFile.decompress(joined, path: "joined.gz", limit: 100) == [1, 2, 3, 4, 5])
    }

    @Test func aDeviceOrAFolderAsADataFileIsNamed() throws {
        let fixtures = try IDXFixtures()
        defer { fixtures.remove() }
        try fixtures.writeValidSet()
        let path = fixtures.path("train-images-idx3-ubyte")
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: "/dev/zero")
        #expect(throws: MNISTError.unreadable(path: path, reason: "is a character device, not a regular file")) { try load(fixtures) }
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        #expect(throws: MNISTError.unreadable(path: path, reason: "is a folder, not a regular file")) { try load(fixtures) }
    }

    @Test func dimensionsWhosePayloadSizeWrapsAreRefused() throws {
        // 2^32 − 1 cubed does not fit in 64 bits.
        let bytes = IDXFixtures.header(magic: 0x803, dimensions: [Int(UInt32.max), Int(UInt32.max), Int(UInt32.max)])
        #expect(throws: MNISTError.self) { try IDXFile(bytes: bytes, path: "x", expectedDimensions: [nil, nil, nil]) }
    }
}

@Suite("SHA-256")
struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func knownVectors(input: String, digest: String) {
        #expect(SHA256.hex(of: Array(input.utf8)) == digest)
    }

    @Test func chunkedUpdatesEqualOneUpdate() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 * 31) }
        var hasher = SHA256()
        for chunk in stride(from: 0, to: bytes.count, by: 37) { hasher.update(Array(bytes[chunk..<min(chunk + 37, bytes.count)])) }
        let hex = hasher.finalize().map { String($0, radix: 16) }.map { $0.count == 1 ? "0" + $0 : $0 }.joined()
        #expect(hex == SHA256.hex(of: bytes))
    }
}

@Suite("The embedded MNIST copy")
struct EmbeddedDataTests {
    @Test func loadsVerifiedWithTheKnownLabelCounts() throws {
        let data = try MNISTDataset.load(directory: MNISTDataset.embeddedDirectory)
        #expect(data.train.count == 60_000 && data.test.count == 10_000)
        #expect(data.train.labelCounts == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949])
        #expect(data.test.labelCounts == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009])
    }
}
