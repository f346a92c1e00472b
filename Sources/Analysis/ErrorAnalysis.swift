/// What a classifier's mistakes on a test set have in common: which confusions dominate, which
/// classes suffer, and how many of the mistakes other classifiers make too.
///
/// Mistakes shared between networks of different architectures point at the images rather
/// than at one network: if two classifiers erred independently, the expected number of images
/// both get wrong would be e₁ · e₂ / n; `sharing` compares the observed overlap with that.
public struct ErrorAnalysis: Sendable {
    /// A true class mistaken for a predicted one, and how often.
    public struct Confusion: Sendable, Equatable {
        public var truth: Int
        public var predicted: Int
        public var count: Int

        public init(truth: Int, predicted: Int, count: Int) {
            (self.truth, self.predicted, self.count) = (truth, predicted, count)
        }
    }

    /// How one other classifier's mistakes overlap with these.
    public struct Overlap: Sendable, Equatable {
        public var name: String
        /// The other classifier's mistakes.
        public var errors: Int
        /// Images both get wrong.
        public var shared: Int
        /// Images both get wrong with the same wrong answer.
        public var sameAnswer: Int
        /// Shared mistakes expected if the two erred independently, e₁ · e₂ / n.
        public var expected: Double
        /// shared / expected (infinite when none were expected but some are shared).
        public var ratio: Double { expected > 0 ? Double(shared) / expected : (shared > 0 ? .infinity : 1) }
    }

    public let count: Int
    public let errors: [Int]
    /// Every confusion, most frequent first (ties by true class, then predicted class).
    public let confusions: [Confusion]
    /// The mistakes as a table: `table[truth][predicted]`, zero on the diagonal.
    public let table: [[Int]]
    /// Mistakes per true class, and the number of test items of each class.
    public let errorsByClass: [Int]
    public let itemsByClass: [Int]
    public let overlaps: [Overlap]
    /// Images every classifier (this one and all the others) gets wrong.
    public let sharedByAll: Int

    /// - Parameters:
    ///   - predictions: the predicted class of each item; `labels`: the true ones (same length).
    ///   - others: other classifiers' predictions on the same items, by name.
    ///   - classes: the number of classes (predictions and labels lie in 0..<classes).
    public init?(predictions: [Int], labels: [Int], others: [(name: String, predictions: [Int])] = [], classes: Int = 10) {
        guard predictions.count == labels.count, !labels.isEmpty, classes > 0,
              (predictions + labels).allSatisfy({ (0..<classes).contains($0) }),
              others.allSatisfy({ $0.predictions.count == labels.count }) else { return nil }
        count = labels.count
        errors = labels.indices.filter { predictions[$0] != labels[$0] }
        var table = [[Int]](repeating: [Int](repeating: 0, count: classes), count: classes)
        var byClass = [Int](repeating: 0, count: classes), items = [Int](repeating: 0, count: classes)
        for label in labels { items[label] += 1 }
        for i in errors {
            table[labels[i]][predictions[i]] += 1
            byClass[labels[i]] += 1
        }
        var confusions: [Confusion] = []
        for truth in 0..<classes { for predicted in 0..<classes where table[truth][predicted] > 0 {
            confusions.append(Confusion(truth: truth, predicted: predicted, count: table[truth][predicted]))
        } }
        self.table = table
        self.confusions = confusions.sorted { ($0.count, -$0.truth, -$0.predicted) > ($1.count, -$1.truth, -$1.predicted) }
        errorsByClass = byClass
        itemsByClass = items
        let mistakes = Set(errors)
        var all = mistakes
        var overlaps: [Overlap] = []
        for other in others {
            let wrong = Set(labels.indices.filter { other.predictions[$0] != labels[$0] })
            all.formIntersection(wrong)
            let shared = mistakes.intersection(wrong)
            let same = shared.filter { other.predictions[$0] == predictions[$0] }.count
            overlaps.append(Overlap(name: other.name, errors: wrong.count, shared: shared.count, sameAnswer: same,
                                    expected: Double(mistakes.count) * Double(wrong.count) / Double(labels.count)))
        }
        self.overlaps = overlaps
        sharedByAll = others.isEmpty ? errors.count : all.count
    }

    /// Mistakes between the two digits of an unordered pair, both directions, most frequent first.
    public var pairs: [(a: Int, b: Int, count: Int)] {
        var counts: [Int: Int] = [:]
        let classes = itemsByClass.count
        for c in confusions {
            let (a, b) = (min(c.truth, c.predicted), max(c.truth, c.predicted))
            counts[a * classes + b, default: 0] += c.count
        }
        return counts.map { (a: $0.key / classes, b: $0.key % classes, count: $0.value) }
            .sorted { ($0.count, -$0.a, -$0.b) > ($1.count, -$1.a, -$1.b) }
    }

    /// The share of the mistakes that fall in the `k` most frequent unordered pairs.
    public func share(ofTopPairs k: Int) -> Double {
        guard !errors.isEmpty else { return 0 }
        return Double(pairs.prefix(k).reduce(0) { $0 + $1.count }) / Double(errors.count)
    }

    /// The class with the highest error rate (errors / items), the lowest class on ties.
    public var hardestClass: Int? {
        guard !errors.isEmpty else { return nil }
        return itemsByClass.indices.filter { itemsByClass[$0] > 0 }.max { a, b in
            let (ra, rb) = (Double(errorsByClass[a]) / Double(itemsByClass[a]), Double(errorsByClass[b]) / Double(itemsByClass[b]))
            return ra < rb || (ra == rb && a > b)
        }
    }
}
