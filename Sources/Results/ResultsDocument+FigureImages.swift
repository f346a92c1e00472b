import Assignment

extension ResultsDocument {
    /// How many test images the sample figure (`fig-1-digits`) draws: the first of the split.
    public static let samplesShown = 24

    /// How many mistakes an errors figure (3.1's, 3.1b's) draws: the first, in test-set order.
    public static let mistakesShown = 30

    /// The test images the report's figures draw, given the test labels, figure by figure in
    /// the catalogue's order (`FigureID.testImages`): the sample, and each errors figure's
    /// mistakes. A build records their pixels in `test_set.images`, and a document that lacks
    /// one of them is refused (`problems()`).
    public func testImagesDrawn(labels: [UInt8]) -> [Int] {
        Catalogue.chapters.flatMap(\.figures).flatMap { figure -> [Int] in
            switch figure.testImages {
            case .none: []
            case .samples: Array(0..<min(Self.samplesShown, labels.count))
            case let .mistakes(section): training(section).map { Self.mistakeIndices($0, labels: labels) } ?? []
            }
        }
    }

    /// The document with its test set recorded as its figures need it: every label, and the
    /// pixels of the images they draw (`testImagesDrawn`), from `pixels`.
    public func recordingFigureImages(labels: [UInt8], pixels: (Int) -> [UInt8]) -> ResultsDocument {
        recordingTestSet(labels: labels, indices: testImagesDrawn(labels: labels), pixels: pixels)
    }

    /// The first `mistakesShown` test images `r` classifies wrongly, in test-set order.
    public static func mistakeIndices(_ r: TrainingRecord, labels: [UInt8]) -> [Int] {
        let predictions = r.predictedClasses
        return Array((0..<min(labels.count, predictions.count)).lazy.filter { predictions[$0] != Int(labels[$0]) }.prefix(mistakesShown))
    }
}
