/// Published MNIST test results the report sets its convolutional networks beside, as test
/// error rates with their sources (LeCun's MNIST page and the papers it cites, as listed in the
/// project's ASSIGNMENT.md).
public enum Literature {
    public struct Result: Sendable {
        /// What was trained, in a phrase.
        public let model: String
        /// Who published it, and where.
        public let source: String
        /// The anchor of its entry in the report's references.
        public let reference: String
        /// The test error rate, as a fraction.
        public let error: Double
        /// A committee or an ensemble of networks rather than one.
        public var isEnsemble = false
        public var accuracy: Double { 1 - error }
        /// The error rate as a count of `images` test images.
        public func errors(of images: Int) -> Int { Int((error * Double(images)).rounded()) }
    }

    public static let results: [Result] = [
        Result(model: "LeNet-5", source: "LeCun, Bottou, Bengio and Haffner, 1998", reference: "ref-lenet", error: 0.0095),
        Result(model: "LeNet-5 with distortions (augmentation)", source: "LeCun, Bottou, Bengio and Haffner, 1998", reference: "ref-lenet", error: 0.008),
        Result(model: "convolutional network with elastic distortions", source: "Simard, Steinkraus and Platt, 2003", reference: "ref-simard", error: 0.004),
        Result(model: "committee of 35 convolutional networks with elastic distortions", source: "Cireşan, Meier and Schmidhuber, 2012", reference: "ref-ciresan", error: 0.0023, isEnsemble: true),
        Result(model: "DropConnect ensemble", source: "Wan, Zeiler, Zhang, LeCun and Fergus, 2013", reference: "ref-dropconnect", error: 0.0021, isEnsemble: true),
    ]

    /// The extension's aim, set by this report (no paper gives it): just below the best single
    /// network of `results`, Simard and colleagues' 0.996 with elastic distortions.
    public static let strongCNNTarget = 0.995

    /// The best single network of `results` (not a committee or an ensemble).
    public static var bestSingleNetwork: Result { results.filter { !$0.isEnsemble }.min { $0.error < $1.error }! }
}
