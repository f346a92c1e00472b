import Plotting
import Testing

/// The confusion matrix: its row totals leave the diagonal out, its shades run from white at 0
/// to the full colour at the largest mistake, and every count is written in its cell.
@Suite struct ConfusionMatrixTests {
    static let counts = [[97, 2, 1], [0, 99, 1], [4, 0, 96]]

    @Test func rowTotalsAreMistakesOnly() {
        let matrix = ConfusionMatrix(title: "t", counts: Self.counts)
        #expect(matrix.mistakesByClass == [3, 1, 4])
        #expect(matrix.largestMistake == 4)
    }

    @Test func shadesRunFromWhiteToTheColour() {
        let matrix = ConfusionMatrix(title: "t", counts: Self.counts, color: .darkRed)
        #expect(matrix.shade(0) == .white)
        #expect(matrix.shade(4) == .darkRed)
        let half = matrix.shade(2)
        #expect(abs(half.green - (1 + (Color.darkRed.green - 1) / 2)) < 1e-12)
    }

    @Test func everyMistakeIsWrittenInItsCell() {
        let matrix = ConfusionMatrix(title: "t", counts: Self.counts)
        let recorder = RecordingRenderer(size: matrix.size)
        matrix.draw(on: recorder)
        let texts = recorder.texts
        for text in ["2", "1", "4", "3", "errors", "true digit", "predicted digit"] {
            #expect(texts.contains(text), "\(text) is drawn")
        }
        // The diagonal's counts (97, 99, 96) are not.
        #expect(!texts.contains("97") && !texts.contains("99"))
    }
}
