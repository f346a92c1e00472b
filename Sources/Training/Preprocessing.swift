import Assignment
import MNIST
import NeuralEngine

/// Part 1 of the assignment: MNIST as the networks see it.
public enum Preprocessing {
    /// The number of classes.
    public static let classes = Dataset.classes

    /// Images as float32 in [0, 1] (pixel / 255), shaped (N, 28, 28, 1), channels last.
    public static func images(_ split: MNISTSplit) -> Tensor {
        Tensor(shape: [split.count, MNISTSplit.rows, MNISTSplit.columns, 1]) { out in
            split.pixels.withUnsafeBufferPointer { pixels in
                for i in 0..<pixels.count { out[i] = Float(pixels[i]) / 255 }
            }
        }
    }

    /// Labels one-hot encoded: digit k becomes a row of 10 zeros with a 1 at column k.
    public static func labels(_ split: MNISTSplit) -> Tensor {
        Tensor(oneHot: split.labels.map(Int.init), classes: classes)
    }
}

/// MNIST ready for training: (x, y) pairs for the training and test splits.
public struct PreparedData {
    public var trainX: Tensor, trainY: Tensor
    public var testX: Tensor, testY: Tensor
    public var testLabels: [UInt8]
    /// The data set's identity (a digest of the file checksums).
    public var checksum: String

    public init(_ dataset: MNISTDataset, trainLimit: Int? = nil, testLimit: Int? = nil) {
        let train = trainLimit.map { dataset.train.prefix($0) } ?? dataset.train
        let test = testLimit.map { dataset.test.prefix($0) } ?? dataset.test
        trainX = Preprocessing.images(train)
        trainY = Preprocessing.labels(train)
        testX = Preprocessing.images(test)
        testY = Preprocessing.labels(test)
        testLabels = test.labels
        checksum = dataset.checksum
    }
}
