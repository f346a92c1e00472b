/// MNIST's sizes as the report states them and its plans use them. The `MNIST` target's reader
/// holds files to the same numbers, and a test holds the two equal; these stay here so that the
/// report's stages read them without the reader.
public enum Dataset {
    /// Images in the training and the test split.
    public static let trainingCount = 60_000, testCount = 10_000
    /// An image's height and width in pixels.
    public static let rows = 28, columns = 28
    /// The digits 0 … 9.
    public static let classes = 10
}
