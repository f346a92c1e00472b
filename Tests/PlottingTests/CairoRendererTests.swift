import Foundation
import Plotting
import Testing

@Suite("Cairo output")
struct CairoRendererTests {
    let chart = LineChart(title: "Loss", xLabel: "epoch", yLabel: "loss", series: [
        .init(name: "train", points: [(1, 0.5), (2, 0.3), (3, 0.2)], color: .blue),
    ], size: Size(width: 320, height: 200))

    /// A fresh, empty temporary folder.
    func temporaryFolder() throws -> String {
        let path = NSTemporaryDirectory() + "plotting-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The big-endian 32-bit number at `offset`.
    func uint32(_ bytes: [UInt8], at offset: Int) -> Int {
        bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
    }

    @Test(arguments: [1.0, 2.0])
    func writesAPNGOfTheScaledSize(scale: Double) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/loss.png"
        try render(chart, to: .png(path: path, scale: scale))
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(Array(bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(String(decoding: bytes[12..<16], as: UTF8.self) == "IHDR")
        #expect(uint32(bytes, at: 16) == Int(320 * scale))
        #expect(uint32(bytes, at: 20) == Int(200 * scale))
        // Written atomically: no temporary file is left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["loss.png"])
    }

    @Test func writesSVGAndPNGSideBySide() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try render(chart, svgTo: folder + "/loss.svg", pngTo: folder + "/loss.png")
        let svg = try String(contentsOfFile: folder + "/loss.svg", encoding: .utf8)
        #expect(svg.contains("<svg"))
        #expect(svg.contains(#"viewBox="0 0 320 200""#))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["loss.png", "loss.svg"])
    }

    @Test func makesAnSVGStringWithSizeAndDistinctIds() throws {
        let svg = try svgString(chart)
        let root = try #require(svg.range(of: "<svg").map { svg[$0.lowerBound...].prefix(while: { $0 != ">" }) })
        #expect(root.contains(#"width="320""#) && root.contains(#"height="200""#))
        #expect(root.contains(#"viewBox="0 0 320 200""#))
        #expect(svg.contains("<path"))
        // Every reference points at an id of the same document, all prefixed alike.
        let ids = Set(matches(of: #" id="([^"]+)""#, in: svg))
        let references = Set(matches(of: ##"href="#([^"]+)""##, in: svg))
        #expect(!ids.isEmpty && references.isSubset(of: ids))
        // Two different figures share no id, so they can be inlined in one page.
        var other = chart
        other.title = "Other"
        let otherIds = Set(matches(of: #" id="([^"]+)""#, in: try svgString(other)))
        #expect(ids.isDisjoint(with: otherIds))
        #expect(try svgString(chart) == svg)  // reproducible
    }

    @Test(arguments: ["svg", "png"])
    func namesThePathWhenItsFolderIsMissing(format: String) throws {
        let path = NSTemporaryDirectory() + "no-such-folder-\(UUID().uuidString)/figure.\(format)"
        let destination: CairoRenderer.Destination = format == "svg" ? .svg(path: path) : .png(path: path, scale: 2)
        let error = try #require(throws: PlotError.self) { try render(chart, to: destination) }
        #expect(error.description.contains(path))
        #expect(error.description.contains("does not exist"))
    }

    @Test func measuresTextWithTheFont() throws {
        let renderer = try CairoRenderer(size: Size(width: 10, height: 10), destination: .svgInMemory)
        let small = renderer.measureText("accuracy", font: Font(size: 10))
        let large = renderer.measureText("accuracy", font: Font(size: 20))
        #expect(small.width > 30 && small.width < 60)
        #expect(close(large.width, 2 * small.width, tolerance: 1e-6))
        #expect(renderer.measureText("WWW", font: Font(size: 10)).width > renderer.measureText("iii", font: Font(size: 10)).width)
    }

    /// The first capture group of every match of `pattern`.
    func matches(of pattern: String, in text: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: pattern)
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
            Range($0.range(at: 1), in: text).map { String(text[$0]) }
        }
    }
}
