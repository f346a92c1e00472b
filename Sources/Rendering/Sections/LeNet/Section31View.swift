import Results
import Analysis
import Assignment

/// Section 3.1: LeNet-5's result against the notebook, the published LeNet-5 and the target,
/// and what its mistakes have in common.
struct Section31View {
    var published: String
    var notebookAccuracy: String
    var target: String
    /// The notebook's variant against the original LeNet-5: two single trainings.
    var notebookAgainstPublished: ReferenceView?
    var result: Result?

    struct Result {
        var training: TrainingView
        var diff: String
        var publishedGap: String
        var reaches99: Bool
        var againstPublished: ReferenceView?
        var againstNotebook: ReferenceView?
        var seed: Section24View.SeedView
        var errorsShown: String
        var errors: ErrorsView?
    }

    init(_ input: SectionInput) {
        let (results, labels) = (input.results, input.labels)
        published = NumberFormat.accuracy(Notebook.lenet5Published)
        notebookAccuracy = NumberFormat.accuracy(Notebook.lenet5TestAccuracy)
        target = NumberFormat.accuracy(Notebook.targetAccuracy)
        let noise = input.noise
        notebookAgainstPublished = ReferenceView(ReferenceComparison(accuracies: [Notebook.lenet5TestAccuracy], reference: Notebook.lenet5Published,
                                                                     referenceIsOneTraining: true, borrowedSD: noise.sd))
        result = results.training(.s3_1).map { r in
            let others = [("the dense network of 2.4", results.training(.s2_4)), ("the small network of 2.3", results.training(.s2_3))]
                .compactMap { name, record in record.map { (name: name, record: $0) } }
            return Result(
                training: TrainingView(r),
                diff: NumberFormat.signed(r.testAccuracy - Notebook.lenet5TestAccuracy),
                publishedGap: NumberFormat.signed(r.testAccuracy - Notebook.lenet5Published),
                reaches99: r.testAccuracy >= Notebook.targetAccuracy,
                againstPublished: ReferenceView(ReferenceComparison(accuracies: [r.testAccuracy], reference: Notebook.lenet5Published, referenceIsOneTraining: true, borrowedSD: noise.sd)),
                againstNotebook: ReferenceView(ReferenceComparison(accuracies: [r.testAccuracy], reference: Notebook.lenet5TestAccuracy, referenceIsOneTraining: true, borrowedSD: noise.sd)),
                seed: Section24View.SeedView(sd: noise.text, source: noise.source, interval: noise.interval),
                errorsShown: String(min(ResultsDocument.mistakesShown, TrainingView.errors(r))),
                errors: ErrorsView(r, labels: labels, others: others))
        }
    }
}

/// `ErrorAnalysis` in words: the frequent confusions, the hardest digit and the overlap with the other networks.
struct ErrorsView {
    var count: String
    /// Unordered pairs of distinct classes, as the pairs are ranked: 45 for ten digits.
    var possiblePairs: String
    var topPairsCount: String
    /// More than five pairs: the fifth's count is shared, and every pair sharing it is listed.
    var topPairsTied: Bool
    var topPairsShare: String
    var hardestDigit: String
    var hardestErrors: String
    var hardestItems: String
    var overlaps: [OverlapRow]
    var hasOverlaps: Bool
    var sharedByAll: String
    /// At least half of the mistakes are shared by every network.
    var sharedByAllMajority: Bool
    var networks: String

    struct OverlapRow {
        var name: String
        var errors: String
        var shared: String
        var sharedPercent: String
        var expected: String
        var ratio: String
        var sameAnswer: String
    }

    /// Nil when the predictions or labels are missing or do not match (an older or partial results file).
    init?(_ record: TrainingRecord, labels: [UInt8], others: [(name: String, record: TrainingRecord)]) {
        let truth = labels.map(Int.init)
        let usable = others.filter { $0.record.testPredictions.utf8.count == truth.count }
        guard let e = ErrorAnalysis(predictions: record.predictedClasses, labels: truth,
                                    others: usable.map { (name: $0.name, predictions: $0.record.predictedClasses) }),
              !e.errors.isEmpty else { return nil }
        // The five most frequent pairs, and any tied with the fifth: a cut through a tie would
        // rank equal pairs differently.
        let fifth = e.pairs.prefix(5).last?.count ?? 0
        let top = Array(e.pairs.prefix { $0.count >= fifth })
        count = NumberFormat.count(e.errors.count)
        possiblePairs = String(e.itemsByClass.count * (e.itemsByClass.count - 1) / 2)
        topPairsCount = NumberFormat.words(top.count)
        topPairsTied = top.count > 5
        topPairsShare = NumberFormat.wholePercent(e.share(ofTopPairs: top.count))
        let hardest = e.hardestClass ?? 0
        hardestDigit = String(hardest)
        hardestErrors = NumberFormat.count(e.errorsByClass[hardest])
        hardestItems = NumberFormat.count(e.itemsByClass[hardest])
        overlaps = e.overlaps.map { o in
            OverlapRow(name: o.name, errors: NumberFormat.count(o.errors), shared: NumberFormat.count(o.shared),
                       sharedPercent: NumberFormat.wholePercent(Double(o.shared) / Double(max(e.errors.count, 1))),
                       expected: NumberFormat.decimal(o.expected, 1), ratio: o.ratio.isFinite ? NumberFormat.decimal(o.ratio, 0) : "–",
                       sameAnswer: NumberFormat.count(o.sameAnswer))
        }
        hasOverlaps = !e.overlaps.isEmpty
        sharedByAll = NumberFormat.count(e.sharedByAll)
        sharedByAllMajority = 2 * e.sharedByAll >= e.errors.count
        networks = NumberFormat.words(e.overlaps.count + 1)
    }
}
