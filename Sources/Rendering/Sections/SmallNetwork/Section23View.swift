import Results
import Analysis
import Assignment

/// Section 2.3: the small dense network's training, its notebook comparison and its fit.
struct Section23View {
    var notebookAccuracy: String
    var notebookEpochs: String
    var notebookFirstTrain: String
    var notebookFinalTrain: String
    var notebookFirstVal: String
    var notebookGap: String
    /// The notebook's validation accuracy was highest in its last epoch.
    var notebookBestAtEnd: Bool
    var notebookBestEpoch: String
    /// The report's fit rule applied to the notebook's own log of its ten epochs.
    var notebookFit: FitView?
    var notebookClaim: NotebookClaim
    var keras: KerasSpread
    var result: Result?

    /// The notebook's own reading of its log, tested against the log: after the epoch it names,
    /// did validation accuracy fall (and validation loss rise)?
    struct NotebookClaim {
        var text: String
        var epoch: String
        /// Validation accuracy and loss from that epoch to the last: "0.9725 → 0.9731".
        var accuracy: String
        var loss: String
        var accuracyFalls: Bool
        var lossRises: Bool
    }

    struct KerasSpread {
        /// The Keras and TensorFlow versions of those trainings.
        var keras: String
        var tensorflow: String
        var n: String
        var mean: String
        var sd: String
        var min: String
        var max: String
        /// The notebook's figure lies above every Keras training.
        var notebookAboveAll: Bool
        /// Every Keras training's accuracy, in seed order: "0.9706, 0.9688, …".
        var values: String
        /// How unusual the notebook's figure would be as one more training of this recipe: the
        /// one-sided p of a new draw as high, t = (x − mean) / (s √(1 + 1/n)) on n − 1 degrees of freedom.
        var notebookP: String
        /// That p is below 0.05.
        var notebookUnusual: Bool
    }

    struct Result {
        var training: TrainingView
        var diff: String
        var kerasDiff: String
        /// This run's accuracy lies within the Keras trainings' range.
        var withinKeras: Bool
        var epochsTable: [EpochRow]
    }

    struct EpochRow {
        var epoch: String
        var train: String
        var val: String
        var loss: String
        var valLoss: String
        var notebookVal: String
        var diff: String
    }

    init(_ results: ResultsDocument) {
        let notebookVal = Notebook.mlp64ValidationAccuracy
        notebookAccuracy = NumberFormat.accuracy(Notebook.mlp64TestAccuracy)
        notebookEpochs = String(notebookVal.count)
        let notebookTrain = Notebook.mlp64TrainingAccuracy
        notebookFirstTrain = NumberFormat.accuracy(notebookTrain.first ?? 0)
        notebookFinalTrain = NumberFormat.accuracy(notebookTrain.last ?? 0)
        notebookFirstVal = NumberFormat.accuracy(notebookVal.first ?? 0)
        notebookGap = NumberFormat.signed((notebookTrain.last ?? 0) - (notebookVal.last ?? 0))
        let claim = Notebook.mlp64OverfitClaim
        let after = Array(notebookVal[(claim.afterEpoch - 1)...]), afterLoss = Array(Notebook.mlp64ValidationLoss[(claim.afterEpoch - 1)...])
        notebookClaim = NotebookClaim(
            text: claim.text, epoch: String(claim.afterEpoch),
            accuracy: after.map(NumberFormat.accuracy).joined(separator: " → "),
            loss: afterLoss.map(NumberFormat.accuracy).joined(separator: " → "),
            accuracyFalls: zip(after, after.dropFirst()).allSatisfy { $1 < $0 },
            lossRises: zip(afterLoss, afterLoss.dropFirst()).allSatisfy { $1 > $0 })
        notebookFit = FitDiagnosis(training: notebookTrain, validation: notebookVal, validationLoss: Notebook.mlp64ValidationLoss).map(FitView.init)
        let notebookBest = (notebookVal.indices.max { notebookVal[$0] < notebookVal[$1] } ?? 0) + 1
        notebookBestEpoch = String(notebookBest)
        notebookBestAtEnd = notebookBest == notebookVal.count
        let seeds = Notebook.kerasMlp64Seeds
        let spread = Statistics.Summary(seeds)
        // The notebook's figure as one more draw of the Keras trainings' distribution.
        let t = (Notebook.mlp64TestAccuracy - spread.mean) / (spread.sampleSD * (1 + 1 / Double(seeds.count)).squareRoot())
        let twoSided = Statistics.studentTwoSidedP(t: t, df: Double(seeds.count - 1))
        let notebookP = t > 0 ? twoSided / 2 : 1 - twoSided / 2
        keras = KerasSpread(keras: Notebook.kerasMlp64Versions.keras, tensorflow: Notebook.kerasMlp64Versions.tensorflow, n: String(seeds.count), mean: NumberFormat.accuracy(spread.mean), sd: NumberFormat.accuracy(spread.sampleSD),
                            min: NumberFormat.accuracy(seeds.min() ?? 0), max: NumberFormat.accuracy(seeds.max() ?? 0),
                            notebookAboveAll: seeds.allSatisfy { $0 < Notebook.mlp64TestAccuracy },
                            values: seeds.map(NumberFormat.accuracy).joined(separator: ", "),
                            notebookP: NumberFormat.pClause(notebookP), notebookUnusual: notebookP < 0.05)
        result = results.training(.s2_3).map { r in
            let h = r.history
            let rows = min(h.accuracy.count, h.valAccuracy.count, h.loss.count, h.valLoss.count)
            return Result(
                training: TrainingView(r),
                diff: NumberFormat.signed(r.testAccuracy - Notebook.mlp64TestAccuracy),
                kerasDiff: NumberFormat.signed(r.testAccuracy - spread.mean),
                withinKeras: (seeds.min() ?? 0) <= r.testAccuracy && r.testAccuracy <= (seeds.max() ?? 1),
                epochsTable: (0..<rows).map { i in
                    let notebook = i < notebookVal.count ? notebookVal[i] : nil
                    return EpochRow(epoch: String(i + 1), train: NumberFormat.accuracy(h.accuracy[i]), val: NumberFormat.accuracy(h.valAccuracy[i]),
                                    loss: NumberFormat.accuracy(h.loss[i]), valLoss: NumberFormat.accuracy(h.valLoss[i]),
                                    notebookVal: notebook.map(NumberFormat.accuracy) ?? "–",
                                    diff: notebook.map { NumberFormat.signed(h.valAccuracy[i] - $0) } ?? "–")
                })
        }
    }
}
