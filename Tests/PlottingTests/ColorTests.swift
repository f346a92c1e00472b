import Plotting
import Testing

@Suite("Colour names and contrast")
struct ColorTests {
    @Test func contrastRatioFollowsWCAG() {
        #expect(close(Color.black.contrastRatio(with: .white), 21, tolerance: 1e-9))
        #expect(close(Color.white.contrastRatio(with: .white), 1, tolerance: 1e-12))
        // #808080: linear 0.2158605, so (1.05) / (0.2658605) = 3.949.
        #expect(close(Color.gray.contrastRatio(with: .white), 3.9494, tolerance: 1e-3))
        #expect(Color.gray.contrastRatio(with: .white) == Color.white.contrastRatio(with: .gray))
    }

    @Test func theNamedColoursAreNamedAndTheGreysTellApart() {
        #expect(Color.gray.name == "grey")
        #expect(Color.darkGray.name == "dark grey")
        #expect(Color.blue.name == "blue")
        #expect(Color(hex: 0x123456).name == nil)
        // The mid grey is legible on white (graphics need 3 : 1) yet clearly lighter than the text grey.
        #expect(Color.gray.contrastRatio(with: .white) >= 3)
        #expect(Color.darkGray.contrastRatio(with: .white) > 2 * Color.gray.contrastRatio(with: .white))
        #expect(Color.darkRed.contrastRatio(with: .white) >= 3)
    }
}
