import Assignment

extension ResultsDocument {
    /// How many test images the sample figure (`fig-1-digits`) draws: the first of the split.
    public static let samplesShown = 24

    /// How many mistakes an errors figure (3.1's, 3.1b's) draws: the first, in test-set order.
    public static let mistakesShown = 30

    /// The test images the report's figures draw, given the test labels: the sample, and each
    /// errors figure's mistakes. A build records their pixels in `test_set.images`, and a
    /// document that lacks one of them is refused (`problems()`).
    public func testImagesDrawn(labels: [UInt8]) -> [Int] {
        let mistaken = [Section.s3_1, .s3_1b].compactMap(training).flatMap { Self.mistakeIndices($0, labels: labels) }
        return Array(0..<min(Self.samplesShown, labels.count)) + mistaken
    }

    /// The first `mistakesShown` test images `r` classifies wrongly, in test-set order.
    public static func mistakeIndices(_ r: TrainingRecord, labels: [UInt8]) -> [Int] {
        let predictions = r.predictedClasses
        return Array((0..<min(labels.count, predictions.count)).lazy.filter { predictions[$0] != Int(labels[$0]) }.prefix(mistakesShown))
    }
}
