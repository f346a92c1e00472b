import Analysis
import Assignment
import MNIST
import NeuralEngine

/// "Beyond the notebook": how far a stronger CNN goes, what each of its ingredients brings, and
/// where it stands against the literature.
struct Section31bView {
    var target: String
    var model: ModelFacts
    var result: Result?
    var ablation: Ablation?
    var literature: [LiteratureRow]
    var beatsCount: String
    /// Published figures this run equals to the four decimals shown.
    var levelCount: String
    var levelAny: Bool
    var literatureCount: String
    var seed: Section24View.SeedView

    /// The model's size and cost, from its definition.
    struct ModelFacts {
        var params: String
        var trainable: String
        var nonTrainable: String
        var lenetParams: String
        var epochs: String
        var batch: String
        var learningRate: String
        /// Floating-point operations of one epoch's matrix products (training and validation), in TFLOP.
        var teraflops: String
        var lenetTeraflops: String
        var paramsRatio: String
        /// The share of the epoch's FLOPs in convolutions.
        var convolutionShare: String
        /// The same network with 32 and 64 filters.
        var wideTeraflops: String
        var wideRatio: String
        var rotation: String
        var translation: String
    }

    struct Result {
        var training: TrainingView
        var reachesTarget: Bool
        var againstTarget: ReferenceView
        var lenet: Lenet?
        /// The engine's throughput on this model, from the median epoch.
        var gigaflops: String
        var errors: ErrorsView?
        var errorsShown: String
    }

    struct Lenet {
        var accuracy: String
        var errors: String
        var diff: String
        /// The CNN makes fewer mistakes than LeNet-5.
        var fewer: Bool
        var fewerErrors: String
        var secondsPerEpoch: String
        var epochs: String
    }

    struct Ablation {
        var epochs: String
        /// "3 epochs", "1 epoch".
        var epochsText: String
        var rows: [AblationRow]
        var all: String
    }

    struct AblationRow {
        var label: String
        var accuracy: String
        var errors: String
        /// This row's accuracy minus the row with all three ingredients.
        var diff: String
        var isAll: Bool
        /// Leaving the ingredient out costs more than two seed standard deviations.
        var costs: Bool
        /// Leaving it out gains more than two seed standard deviations.
        var gains: Bool
        var withinNoise: Bool
    }

    struct LiteratureRow {
        var model: String
        var source: String
        var error: String
        var accuracy: String
        /// This run's accuracy minus the published one.
        var diff: String
        var beats: Bool
    }

    init(_ results: ResultsDocument, labels: [UInt8]) {
        let experiment = Catalogue.experiment("3.1b")!
        target = NumberFormat.accuracy(Literature.strongCNNTarget)
        let noise = SeedNoise.measured(Section24View.analysis(results.sweepTrainings))
        seed = Section24View.SeedView(sd: noise.text, source: noise.source)
        let (facts, flops) = Self.facts(experiment)
        model = facts
        let main = results.training(experiment.id)
        result = main.map { r in
            let lenet = results.training("3.1")
            let others = [("LeNet-5 of section 3.1", lenet), ("the dense network of 2.4", results.training("2.4"))]
                .compactMap { name, record in record.map { (name: name, record: $0) } }
            return Result(
                training: TrainingView(r), reachesTarget: r.testAccuracy >= Literature.strongCNNTarget,
                againstTarget: ReferenceView(ReferenceComparison(accuracies: [r.testAccuracy], reference: Literature.strongCNNTarget,
                                                                 borrowedSD: noise.sd)),
                lenet: lenet.map { l in
                    Lenet(accuracy: NumberFormat.accuracy(l.testAccuracy), errors: NumberFormat.count(TrainingView.errors(l)),
                          diff: NumberFormat.signed(r.testAccuracy - l.testAccuracy),
                          fewer: TrainingView.errors(r) < TrainingView.errors(l),
                          fewerErrors: NumberFormat.count(TrainingView.errors(l) - TrainingView.errors(r)),
                          secondsPerEpoch: NumberFormat.seconds(l.medianSecondsPerEpoch), epochs: String(l.hyperparameters.epochs))
                },
                gigaflops: r.medianSecondsPerEpoch > 0 ? NumberFormat.decimal(flops / r.medianSecondsPerEpoch / 1e9, 0) : "–",
                errors: ErrorsView(r, labels: labels, others: others),
                errorsShown: String(min(ReportFigures.mistakesShown, TrainingView.errors(r))))
        }
        ablation = Self.ablation(experiment, results: results, noise: noise)
        let accuracy = main?.testAccuracy
        literature = Literature.results.map { published in
            LiteratureRow(model: published.model, source: published.source, error: NumberFormat.percent(published.error),
                          accuracy: NumberFormat.accuracy(published.accuracy),
                          diff: accuracy.map { NumberFormat.signed($0 - published.accuracy) } ?? "–",
                          beats: accuracy.map { NumberFormat.accuracy($0) != NumberFormat.accuracy(published.accuracy) && $0 > published.accuracy } ?? false)
        }
        let level = accuracy.map { a in Literature.results.filter { NumberFormat.accuracy($0.accuracy) == NumberFormat.accuracy(a) }.count } ?? 0
        levelCount = NumberFormat.words(level)
        levelAny = level > 0
        beatsCount = NumberFormat.words(literature.filter(\.beats).count)
        literatureCount = NumberFormat.words(literature.count)
    }

    /// The model's facts, and its FLOPs per epoch (for the throughput of the run).
    static func facts(_ experiment: Experiment) -> (ModelFacts, flops: Double) {
        let spec = TrainingSpec(model: ModelKind(experiment.model))
        let model = built(spec.layers), lenet = built(TrainingSpec(model: .lenet5).layers)
        let weights = model?.layers.reduce(0) { $0 + $1.nonTrainableCount } ?? 0
        let trainable = model?.parameterCount ?? 0
        var rotation = "–", translation = "–"
        for layer in spec.layers {
            if case let .randomRotation(factor) = layer { rotation = NumberFormat.decimal(Double(factor) * 360, 0) + "°" }
            if case let .randomTranslation(height, _) = layer { translation = NumberFormat.wholePercent(Double(height)) }
        }
        let wide = built(Catalogue.cnn(name: "cnn32", label: "", summary: "", channels: (32, 64)).layers(nil))
        let flops = model.map { epochFLOPs($0) } ?? 0, lenetFlops = lenet.map { epochFLOPs($0) } ?? 0
        let wideFlops = wide.map { epochFLOPs($0) } ?? 0
        let convolutionFlops = model.map { m in epochFLOPs(m, only: "Conv2D") } ?? 0
        let facts = ModelFacts(
            params: NumberFormat.count(trainable + weights), trainable: NumberFormat.count(trainable), nonTrainable: NumberFormat.count(weights),
            lenetParams: NumberFormat.count(lenet?.parameterCount ?? 0), epochs: String(spec.hyperparameters.epochs),
            batch: String(spec.hyperparameters.batchSize), learningRate: String(format: "%g", Double(spec.hyperparameters.learningRate)),
            teraflops: NumberFormat.decimal(flops / 1e12, 2), lenetTeraflops: NumberFormat.decimal(lenetFlops / 1e12, 2),
            paramsRatio: NumberFormat.decimal(Double(trainable + weights) / Double(max(lenet?.parameterCount ?? 1, 1)), 1),
            convolutionShare: NumberFormat.wholePercent(flops > 0 ? convolutionFlops / flops : 0),
            wideTeraflops: NumberFormat.decimal(wideFlops / 1e12, 2), wideRatio: NumberFormat.decimal(flops > 0 ? wideFlops / flops : 0, 1),
            rotation: rotation, translation: translation)
        return (facts, flops)
    }

    /// A model of `layers` built for MNIST's images (weights from a fixed seed: only sizes are read).
    static func built(_ layers: [LayerConfiguration]) -> Sequential? {
        let model = Sequential(configurations: layers)
        var generator = SeededGenerator(seed: 0)
        guard (try? model.build(inputShape: [MNISTSplit.rows, MNISTSplit.columns, 1], using: &generator)) != nil else { return nil }
        return model
    }

    /// One epoch's matrix-product FLOPs of `model` on MNIST (`Benchmarks.epochFLOPs`).
    static func epochFLOPs(_ model: Sequential) -> Double {
        Benchmarks.epochFLOPs(model: model, trainItems: MNISTSplit.trainingCount, testItems: MNISTSplit.testCount)
    }

    /// The part of one epoch's FLOPs in layers of one type (`Conv2D`).
    static func epochFLOPs(_ model: Sequential, only type: String) -> Double {
        model.layers.indices.filter { model.layers[$0].typeName == type }.reduce(0) {
            $0 + Benchmarks.epochFLOPs(model: model, layer: $1, trainItems: MNISTSplit.trainingCount, testItems: MNISTSplit.testCount)
        }
    }

    /// The ablation's rows, in the catalogue's order, when the run has them all; each compared
    /// with the row that keeps every ingredient, against two seed standard deviations.
    static func ablation(_ experiment: Experiment, results: ResultsDocument, noise: SeedNoise) -> Ablation? {
        let records = experiment.variants.compactMap { variant in
            results.training(experiment.trainingID(variant)).map { (variant: variant, record: $0) }
        }
        guard records.count == experiment.variants.count, let all = records.first else { return nil }
        let base = all.record.testAccuracy
        return Ablation(
            epochs: String(all.record.hyperparameters.epochs),
            epochsText: NumberFormat.epochs(all.record.hyperparameters.epochs),
            rows: records.enumerated().map { index, entry in
                let verdict = ReferenceComparison(accuracies: [entry.record.testAccuracy], reference: base, borrowedSD: noise.sd)?.verdict
                return AblationRow(label: entry.variant.label, accuracy: NumberFormat.accuracy(entry.record.testAccuracy),
                                   errors: NumberFormat.count(TrainingView.errors(entry.record)),
                                   diff: index == 0 ? "" : NumberFormat.signed(entry.record.testAccuracy - base),
                                   isAll: index == 0, costs: index > 0 && verdict == .below, gains: index > 0 && verdict == .above,
                                   withinNoise: index > 0 && verdict != .below && verdict != .above)
            },
            all: NumberFormat.accuracy(base))
    }
}
