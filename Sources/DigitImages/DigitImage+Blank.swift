extension DigitImage {
    /// How far from the background's shade (out of 255) a pixel must be to count as ink: 1/8.
    public static let inkContrast = 32
    /// The fewest ink pixels an image needs to be classified. Every MNIST image, training and test,
    /// has at least 32 pixels 32 levels or more from its median shade (a thin "1"), so a digit is
    /// never called blank; a uniform sheet, a fully transparent image, or one with a stray speck is.
    public static let leastInkPixels = 10

    /// True when the image is nearly uniform: fewer than `leastInkPixels` pixels differ from its
    /// median shade (the background: a digit covers well under half the image) by `inkContrast`
    /// or more. A model would still name a digit for it, with confidence; there is none to name.
    public var isBlank: Bool {
        let background = Int(pixels.sorted()[pixels.count / 2])
        return pixels.lazy.filter { abs(Int($0) - background) >= Self.inkContrast }.count < Self.leastInkPixels
    }
}
