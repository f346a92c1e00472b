import DigitImages
import Foundation
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

    @Test func polarityIsDecidedByTheBorder() {
        let light = DigitImage(luminance: [UInt8](repeating: 250, count: 784))
        #expect(light.inverted && light.pixels.allSatisfy { $0 == 5 })
        let dark = DigitImage(luminance: [UInt8](repeating: 3, count: 784))
        #expect(!dark.inverted && dark.pixels.allSatisfy { $0 == 3 })
    }
}
