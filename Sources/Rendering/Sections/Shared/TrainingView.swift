import Results
import Analysis
import Assignment

/// One training's numbers as the sections quote them.
struct TrainingView {
    var epochs: String
    /// "20 epochs", "1 epoch".
    var epochsText: String
    var notebookEpochs: String
    var epochsMatch: Bool
    var batch: String
    var learningRate: String
    var testAccuracy: String
    var testPercent: String
    var testLoss: String
    var testCount: String
    /// Misclassified test images.
    var errors: String
    var firstTrain: String
    var finalTrain: String
    /// Training images the last epoch's running accuracy implies were wrong (of 60,000).
    var trainingErrors: String
    var trainCount: String
    var firstVal: String
    var finalVal: String
    var bestVal: String
    var bestEpoch: String
    var bestAtEnd: Bool
    var valAboveTrain: Bool
    /// The epochs whose training accuracy lies below their validation accuracy: how many, and
    /// whether that is every epoch.
    var trainBelowValEpochs: String
    var trainBelowValAny: Bool
    var trainBelowValAll: Bool
    var gap: String
    var finalLoss: String
    var finalValLoss: String
    var valLossMinEpoch: String
    var secondsPerEpoch: String
    var totalTime: String
    var seed: String
    var fit: FitView?

    init(_ r: TrainingRecord) {
        let h = r.history
        let n = h.valAccuracy.count
        let finalTrain = h.accuracy.last ?? 0, finalVal = h.valAccuracy.last ?? 0
        epochs = String(n)
        epochsText = NumberFormat.epochs(n)
        // The notebook's epochs for the model; a model the catalogue no longer has is its own yardstick.
        let notebook = r.model.kind?.defaults.epochs ?? n
        notebookEpochs = String(notebook)
        epochsMatch = n == notebook
        batch = String(r.hyperparameters.batchSize)
        learningRate = String(format: "%g", Double(r.hyperparameters.learningRate))
        testAccuracy = NumberFormat.accuracy(r.testAccuracy)
        testPercent = NumberFormat.percent(r.testAccuracy)
        testLoss = NumberFormat.accuracy(r.testLoss)
        testCount = NumberFormat.count(r.testPredictions.count)
        errors = NumberFormat.count(Self.errors(r))
        firstTrain = NumberFormat.accuracy(h.accuracy.first ?? 0)
        self.finalTrain = NumberFormat.accuracy(finalTrain)
        trainingErrors = NumberFormat.count(Dataset.trainingCount - NumberFormat.items(finalTrain, of: Dataset.trainingCount))
        trainCount = NumberFormat.count(Dataset.trainingCount)
        firstVal = NumberFormat.accuracy(h.valAccuracy.first ?? 0)
        self.finalVal = NumberFormat.accuracy(finalVal)
        bestVal = NumberFormat.accuracy(h.valAccuracy.max() ?? 0)
        bestEpoch = String(r.bestEpoch)
        bestAtEnd = r.bestEpoch == n
        valAboveTrain = finalTrain < finalVal
        let below = zip(h.accuracy, h.valAccuracy).filter { $0 < $1 }.count
        trainBelowValEpochs = NumberFormat.count(below)
        trainBelowValAny = below > 0
        trainBelowValAll = below > 0 && below == min(h.accuracy.count, h.valAccuracy.count)
        gap = NumberFormat.signed(finalTrain - finalVal)
        finalLoss = NumberFormat.accuracy(h.loss.last ?? 0)
        finalValLoss = NumberFormat.accuracy(h.valLoss.last ?? 0)
        valLossMinEpoch = String((h.valLoss.indices.min { h.valLoss[$0] < h.valLoss[$1] } ?? 0) + 1)
        secondsPerEpoch = NumberFormat.seconds(r.medianSecondsPerEpoch)
        totalTime = NumberFormat.duration(r.secondsPerEpoch.reduce(0, +))
        seed = String(r.seed)
        fit = FitDiagnosis(training: h.accuracy, validation: h.valAccuracy, validationLoss: h.valLoss).map(FitView.init)
    }

    /// Misclassified test images.
    static func errors(_ r: TrainingRecord) -> Int {
        r.testPredictions.count - NumberFormat.items(r.testAccuracy, of: r.testPredictions.count)
    }
}

/// `FitDiagnosis` in words: one flag per verdict and the numbers each verdict's sentence quotes.
struct FitView {
    var verdict: FitDiagnosis.Verdict
    /// The validation loss over the window, "0.1098 → 0.1013 → 0.0980 → 0.0969" ("–" unknown).
    var valLossWindow: String
    /// The last epoch alone accounts for more than half of the gap's growth over the window.
    var mostInLastEpoch: Bool
    var lastEpochGrowth: String
    var windowFirst: String
    var windowLast: String
    var windowLength: String
    var gapStart: String
    var gapEnd: String
    var trainingGain: String
    var validationGain: String
    var peakDrop: String
    var stillImproving: Bool
    var converged: Bool
    var valLow: String
    var valHigh: String
    var valRange: String
    var trainLow: String
    var trainHigh: String
    /// Training accuracy took one value over the whole window.
    var trainConstant: Bool
    var slopePerEpoch: String

    init(_ d: FitDiagnosis) {
        verdict = d.verdict
        valLossWindow = d.validationLossWindow.map { $0.map(NumberFormat.accuracy).joined(separator: " → ") } ?? "–"
        let growth = d.finalGap - d.gapAtWindowStart
        mostInLastEpoch = growth > 0 && d.lastEpochGapGrowth > growth / 2
        lastEpochGrowth = NumberFormat.signed(d.lastEpochGapGrowth)
        windowFirst = String(d.window.lowerBound)
        windowLast = String(d.window.upperBound)
        windowLength = String(d.window.count)
        gapStart = NumberFormat.signed(d.gapAtWindowStart)
        gapEnd = NumberFormat.signed(d.finalGap)
        trainingGain = NumberFormat.signed(d.trainingGain)
        validationGain = NumberFormat.signed(d.validationGain)
        peakDrop = NumberFormat.accuracy(d.peakDrop)
        stillImproving = d.stillImproving
        converged = d.converged
        valLow = NumberFormat.accuracy(d.validationRange.lowerBound)
        valHigh = NumberFormat.accuracy(d.validationRange.upperBound)
        valRange = NumberFormat.accuracy(d.validationRange.upperBound - d.validationRange.lowerBound)
        trainLow = NumberFormat.accuracy(d.trainingRange.lowerBound)
        trainHigh = NumberFormat.accuracy(d.trainingRange.upperBound)
        trainConstant = d.trainingRange.lowerBound == d.trainingRange.upperBound
        slopePerEpoch = NumberFormat.signed(d.validationSlope?.slope ?? 0, 5)
    }
}


/// How far two trainings that differ only in their seed fall apart, and where that figure comes from.
struct SeedNoise {
    var sd: Double
    var text: String
    /// Where the figure comes from, as a phrase: "pooled over the sweep's 15 trainings, 10 degrees of freedom".
    var source: String
    /// The 95 % confidence interval of σ from its degrees of freedom: "0.0007–0.0017".
    var interval: String

    /// The sweep's pooled replicate spread when the run has one, else the spread of the Keras
    /// trainings of the 2.3 network (the only other seed spread the project has measured).
    static func measured(_ sweep: SweepAnalysis?) -> SeedNoise {
        if let sweep, sweep.pooledDegreesOfFreedom > 0 {
            let trainings = sweep.settings.reduce(0) { $0 + $1.summary.count }
            return SeedNoise(sd: sweep.pooledSD, text: NumberFormat.accuracy(sweep.pooledSD),
                             source: "pooled over the sweep's \(trainings) replicate trainings, \(sweep.pooledDegreesOfFreedom) degrees of freedom",
                             interval: Self.interval(sweep.pooledSD, df: sweep.pooledDegreesOfFreedom))
        }
        let keras = Statistics.Summary(Notebook.kerasMlp64Seeds)
        return SeedNoise(sd: keras.sampleSD, text: NumberFormat.accuracy(keras.sampleSD),
                         source: "\(keras.count) Keras trainings of the 2.3 network",
                         interval: Self.interval(keras.sampleSD, df: keras.count - 1))
    }

    static func interval(_ sd: Double, df: Int) -> String {
        let range = Statistics.standardDeviationInterval(sd: sd, df: df)
        return NumberFormat.accuracy(range.lowerBound) + "–" + NumberFormat.accuracy(range.upperBound)
    }
}

extension FitDiagnosis.Verdict: TemplateChoice {}
