import DigitImages
import PNGEncoding
import Testing

/// Transparency set on paper before polarity (issue 18), through PNGs of every kind that carries
/// it, and images with nothing to classify.
@Suite("Transparency and blank images")
struct TransparencyTests {
    /// A vertical bar with soft edges, MNIST polarity: core 255, edges a dark 40, background 0.
    /// The dark edges are opaque where a tRNS key makes only the background transparent.
    static let digit: [UInt8] = (0..<784).map { i in
        let (x, y) = (i % 28, i / 28)
        guard y > 4, y < 24 else { return 0 }
        return (12..<16).contains(x) ? 255 : (x == 11 || x == 16) ? 40 : 0
    }
    static let inverse = digit.map { 255 - $0 }

    func read(_ png: [UInt8]) throws -> DigitImage { try DigitImage(png: png, path: "test.png") }

    @Test func whiteInkOnTransparentIsWhiteOnBlack() throws {
        let samples = Self.digit.flatMap { [255, 255, 255, $0] as [UInt8] }
        let image = try read(PNGEncoder.encode(.rgba, samples: samples))
        #expect(!image.inverted)
        #expect(image.pixels == Self.digit)
    }

    @Test func blackInkOnTransparentIsBlackOnWhite() throws {
        let samples = Self.digit.flatMap { [0, 0, 0, $0] as [UInt8] }
        let image = try read(PNGEncoder.encode(.rgba, samples: samples))
        #expect(image.inverted)
        #expect(image.pixels == Self.digit)
    }

    @Test func greyInkWithAlphaOnTransparent() throws {
        let image = try read(PNGEncoder.encode(.greyAlpha, samples: Self.digit.flatMap { [255, $0] as [UInt8] }))
        #expect(!image.inverted && image.pixels == Self.digit)
    }

    /// MNIST's black made transparent by a key: the dark but opaque edges stay ink.
    @Test func aGreyKeyOnTheBackground() throws {
        let image = try read(PNGEncoder.encode(.grey, samples: Self.digit, extra: [("tRNS", [0, 0])]))
        #expect(!image.inverted)
        #expect(image.pixels == Self.digit)
    }

    /// White paper made transparent by a key, dark ink on it.
    @Test func aGreyKeyOnLightPaper() throws {
        let image = try read(PNGEncoder.encode(.grey, samples: Self.inverse, extra: [("tRNS", [0, 255])]))
        #expect(image.inverted)
        #expect(image.pixels == Self.digit)
    }

    /// A stroke two pixels wide, blurred: opaque under a key, its edges (60) and halo (20) pull the
    /// mean of the opaque pixels to 112, below mid-grey; the inside of the stroke (157) is light.
    static let thinStroke: [UInt8] = (0..<784).map { i in
        let (x, y) = (i % 28, i / 28)
        guard y > 4, y < 24 else { return 0 }
        return [11: 20, 12: 60, 13: 255, 14: 255, 15: 60, 16: 20][x] ?? 0
    }

    @Test func aThinBlurredStrokeUnderAKeyIsReadFromItsInside() throws {
        let light = try read(PNGEncoder.encode(.grey, samples: Self.thinStroke, extra: [("tRNS", [0, 0])]))
        #expect(!light.inverted && light.pixels == Self.thinStroke)
        let dark = try read(PNGEncoder.encode(.grey, samples: Self.thinStroke.map { 255 - $0 }, extra: [("tRNS", [0, 255])]))
        #expect(dark.inverted && dark.pixels == Self.thinStroke)
    }

    @Test func anRGBKey() throws {
        let samples = Self.digit.flatMap { [$0, $0, $0] as [UInt8] }
        let image = try read(PNGEncoder.encode(.rgb, samples: samples, extra: [("tRNS", [0, 0, 0, 0, 0, 0])]))
        #expect(!image.inverted && image.pixels == Self.digit)
    }

    /// Entries 0 (black, transparent), 1 (the edges' grey) and 2 (white); tRNS lists entry 0 only.
    @Test func aPaletteWithATransparentEntry() throws {
        let index: [UInt8: UInt8] = [0: 0, 40: 1, 255: 2]
        let png = PNGEncoder.encode(.palette, samples: Self.digit.map { index[$0]! },
                                    extra: [("PLTE", [0, 0, 0, 40, 40, 40, 255, 255, 255]), ("tRNS", [0])])
        let image = try read(png)
        #expect(!image.inverted && image.pixels == Self.digit)
    }

    /// Opaque white paper with transparent corners (4 × 4 each): the corners are paper, not ink.
    @Test func transparentCornersOfOpaquePaperArePaper() throws {
        let samples = Self.inverse.indices.flatMap { i -> [UInt8] in
            let (x, y) = (i % 28, i / 28)
            let corner = (x < 4 || x >= 24) && (y < 4 || y >= 24)
            return corner ? [0, 0, 0, 0] : [Self.inverse[i], Self.inverse[i], Self.inverse[i], 255]
        }
        let image = try read(PNGEncoder.encode(.rgba, samples: samples))
        #expect(image.inverted)
        #expect(image.pixels == Self.digit)
    }

    /// Images with nothing to classify, each written as a PNG.
    enum Blank: String, CaseIterable, CustomTestStringConvertible {
        case whitePaper, blackPaper, fullyTransparent, aKeyOnEveryPixel, greyWithASpeck

        var testDescription: String { rawValue }

        var png: [UInt8] {
            switch self {
            case .whitePaper: PNGEncoder.encode(.grey, samples: [UInt8](repeating: 255, count: 784))
            case .blackPaper: PNGEncoder.encode(.grey, samples: [UInt8](repeating: 0, count: 784))
            case .fullyTransparent: PNGEncoder.encode(.rgba, samples: [UInt8](repeating: 0, count: 4 * 784))
            case .aKeyOnEveryPixel: PNGEncoder.encode(.grey, samples: [UInt8](repeating: 7, count: 784), extra: [("tRNS", [0, 7])])
            case .greyWithASpeck: PNGEncoder.encode(.grey, samples: (0..<784).map { [300, 301, 328].contains($0) ? 0 : 200 })
            }
        }
    }

    @Test(arguments: Blank.allCases)
    func aBlankImageIsNothingToClassify(_ blank: Blank) throws {
        let error = try #require(throws: DigitImage.Failure.self) { try read(blank.png) }
        #expect(error == .blank(path: "test.png"))
        #expect(error.description.hasPrefix("test.png: blank: nothing to classify"))
    }

    /// The rule's edge: 10 pixels 32 levels from the background are ink enough, 9 are not.
    @Test func blankIsFewerThanTenInkPixels() {
        func image(ink count: Int, level: UInt8) -> DigitImage {
            DigitImage(luminance: (0..<784).map { $0 < count ? 10 + level : 10 })
        }
        #expect(image(ink: 9, level: 32).isBlank)
        #expect(!image(ink: 10, level: 32).isBlank)
        #expect(image(ink: 100, level: 31).isBlank)
        #expect(!DigitImage(luminance: Self.digit).isBlank)
    }
}
