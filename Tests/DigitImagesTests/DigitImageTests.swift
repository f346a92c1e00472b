import DigitImages
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

@Suite("Digit images")
struct DigitImageTests {
    /// A vertical bar, MNIST polarity: ink 255 on background 0.
    static let bar: [UInt8] = (0..<784).map { i in (i % 28 >= 12 && i % 28 < 16 && i / 28 > 4 && i / 28 < 24) ? 255 : 0 }

    func temporaryPath(_ name: String) -> String {
        NSTemporaryDirectory() + "digit-\(UUID().uuidString)-\(name)"
    }

    @Test(arguments: [false, true])
    func readsBothPolaritiesBackToMNISTs(darkOnLight: Bool) throws {
        let path = temporaryPath("bar.png")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try DigitImage.writePNG(pixels: Self.bar, to: path, darkOnLight: darkOnLight)
        let image = try DigitImage(contentsOf: path)
        #expect(image.inverted == darkOnLight)
        #expect(image.pixels == Self.bar)
    }

    @Test func aMissingFileIsReported() {
        #expect(throws: DigitImage.Failure.self) { try DigitImage(contentsOf: "/nonexistent/digit.png") }
    }

    @Test func aFileThatIsNotAPNGIsReported() throws {
        let path = temporaryPath("text.png")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("not an image".utf8).write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: DigitImage.Failure.self) { try DigitImage(contentsOf: path) }
        #expect(error.description.contains(path))
    }

    @Test func anImageOfAnotherSizeIsReported() throws {
        // A valid 28 × 28 PNG cut short is unreadable; a PNG of another size says its size.
        let path = temporaryPath("big.png")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try DigitImage.writePNG(pixels: Self.bar, to: path)
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        // IHDR width and height are the big-endian words at offsets 16 and 20.
        bytes[19] = 32
        bytes[23] = 32
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: DigitImage.Failure.self) { try DigitImage(contentsOf: path) }
        #expect(error.description.contains(path))
    }

    /// A 10000 × 10000 image was decoded (418 MB) before its size was checked: the header alone
    /// now decides, so the pixels need not even be there.
    @Test func aHugeImageIsRefusedFromItsHeader() throws {
        var header: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8)
        header += [0, 0, 0x27, 0x10, 0, 0, 0x27, 0x10, 8, 0, 0, 0, 0, 0, 0, 0, 0]
        #expect(throws: DigitImage.Failure.wrongSize(path: "huge.png", width: 10_000, height: 10_000)) {
            try DigitImage(png: header, path: "huge.png")
        }
    }

    @Test func aPNGCutShortIsCorruptNotOutOfMemory() throws {
        let path = temporaryPath("cut.png")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try DigitImage.writePNG(pixels: Self.bar, to: path)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        for length in [30, bytes.count / 2, bytes.count - 5] {
            #expect(throws: DigitImage.Failure.unreadable(path: path, reason: "the image data is corrupt or cut short")) {
                try DigitImage(png: Array(bytes.prefix(length)), path: path)
            }
        }
    }

    @Test func aFIFOOrAFolderIsNamedWithoutWaiting() throws {
        let path = temporaryPath("pipe.png")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(mkfifo(path, 0o600) == 0)
        #expect(throws: DigitImage.Failure.unreadable(path: path, reason: "is a named pipe (FIFO), not a regular file")) {
            try DigitImage(contentsOf: path)
        }
        #expect(throws: DigitImage.Failure.unreadable(path: "/tmp", reason: "is a folder, not a regular file")) {
            try DigitImage(contentsOf: "/tmp")
        }
    }

    @Test func polarityIsDecidedByTheBorder() {
        let light = DigitImage(luminance: [UInt8](repeating: 250, count: 784))
        #expect(light.inverted && light.pixels.allSatisfy { $0 == 5 })
        let dark = DigitImage(luminance: [UInt8](repeating: 3, count: 784))
        #expect(!dark.inverted && dark.pixels.allSatisfy { $0 == 3 })
    }
}
