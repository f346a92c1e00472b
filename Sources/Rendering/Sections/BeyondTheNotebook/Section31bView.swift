import Results
import Analysis
import Assignment
import Architecture

/// "Beyond the notebook": how far a stronger CNN goes, what each of its ingredients brings, and
/// where it stands against the literature.
struct Section31bView {
    var target: String
    /// The best single network of the literature table, whose accuracy the aim sits just below.
    var bestSingle: String
    var model: ModelFacts
    var result: Result?
    var ablation: Ablation?
    var literature: [LiteratureRow]
    /// This run's test errors against the published counts; nil without the CNN's training.
    var errorCounts: ErrorCounts?
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
        var againstTarget: ReferenceView?
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
        /// Trainings per row, from as many seeds: "three", with the figure beside it.
        var replicated: Bool
        var seedsText: String
        var seeds: String
        /// With replicates: the smallest and largest of the rows' smallest detectable differences.
        var detectableLow: String
        var detectableHigh: String
        /// Without: 2 √2 σ of the borrowed σ, the smallest difference one training of each can establish.
        var yardstick: String
        var anyInconclusive: Bool
    }

    struct AblationRow {
        var label: String
        /// The mean over the row's seeds (the one training's accuracy without replicates).
        var accuracy: String
        /// Each seed's accuracy, in seed order ("0.9912 · 0.9905 · 0.9915"), and their sample SD.
        var perSeed: String
        var sd: String
        var errors: String
        /// This row's accuracy minus the row with all three ingredients.
        var diff: String
        var isAll: Bool
        /// The paired t-test against the first row, Holm-adjusted over the variants ("–" without replicates).
        var adjustedP: String
        var costs: Bool
        var gains: Bool
        /// The data cannot tell.
        var inconclusive: Bool
        /// McNemar's paired test against the full recipe on the same test images, for the first
        /// seed's two networks: the images only the full recipe gets right, only this variant,
        /// and the p-value, Holm-adjusted over the rows ("–" without predictions).
        var onlyAll: String
        var onlyVariant: String
        var mcNemarP: String
        /// McNemar's p < 0.05: the two trained networks differ on this test set.
        var differOnTestSet: Bool
    }

    struct LiteratureRow {
        var model: String
        var source: String
        var reference: String
        var error: String
        /// The published error as a count of the test images.
        var errors: String
        var standing: Standing
    }

    /// Where a published error count falls against the 95 % interval of this run's error rate.
    enum Standing: String, TemplateChoice {
        /// Above the interval: this run makes fewer errors.
        case fewer
        /// Inside it: the counts cannot tell the two apart.
        case within
        /// Below it: this run makes more errors.
        case more
        /// This run has no result to compare.
        case unknown
    }

    /// This run's errors on the test images and the Wilson interval of its error rate; whether
    /// any published result makes fewer errors (lies below it).
    struct ErrorCounts {
        var errors: String
        var rate: String
        var low: String
        var high: String
        var moreAny: Bool
        /// This run's errors over the best published count: "2.0".
        var ratioToBest: String
    }

    init(_ input: SectionInput) {
        let (results, labels) = (input.results, input.labels)
        let experiment = Section.s3_1b.experiment
        target = NumberFormat.accuracy(Literature.strongCNNTarget)
        bestSingle = NumberFormat.accuracy(Literature.bestSingleNetwork.accuracy)
        let noise = input.noise
        seed = Section24View.SeedView(sd: noise.text, source: noise.source, interval: noise.interval)
        let (facts, flops) = Self.facts(experiment, results: results)
        model = facts
        let main = results.training(experiment.id)
        result = main.map { r in
            let lenet = results.training(.s3_1)
            let others = [("LeNet-5 of section 3.1", lenet), ("the dense network of 2.4", results.training(.s2_4))]
                .compactMap { name, record in record.map { (name: name, record: $0) } }
            return Result(
                training: TrainingView(r), reachesTarget: r.testAccuracy >= Literature.strongCNNTarget,
                againstTarget: ReferenceView(ReferenceComparison(accuracies: [r.testAccuracy], reference: Literature.strongCNNTarget,
                                                                 referenceIsOneTraining: false, borrowedSD: noise.sd)),
                lenet: lenet.map { l in
                    Lenet(accuracy: NumberFormat.accuracy(l.testAccuracy), errors: NumberFormat.count(TrainingView.errors(l)),
                          diff: NumberFormat.signed(r.testAccuracy - l.testAccuracy),
                          fewer: TrainingView.errors(r) < TrainingView.errors(l),
                          fewerErrors: NumberFormat.count(TrainingView.errors(l) - TrainingView.errors(r)),
                          secondsPerEpoch: NumberFormat.seconds(l.medianSecondsPerEpoch), epochs: String(l.hyperparameters.epochs))
                },
                gigaflops: r.medianSecondsPerEpoch > 0 ? NumberFormat.decimal(flops / r.medianSecondsPerEpoch / 1e9, 0) : "–",
                errors: ErrorsView(r, labels: labels, others: others),
                errorsShown: String(min(ResultsDocument.mistakesShown, TrainingView.errors(r))))
        }
        ablation = Self.ablation(experiment, results: results, noise: noise, labels: labels)
        // Against published results of other recipes the seed yardstick of a dense network does
        // not transfer: compare error counts, with the binomial interval of this run's rate.
        let n = main.map(\.testPredictions.count) ?? 0
        let errors = main.map(TrainingView.errors)
        let interval = errors.flatMap { n > 0 ? Statistics.wilsonInterval($0, of: n) : nil }
        let standings: [Standing] = Literature.results.map { published in
            guard let interval else { return .unknown }
            return published.error > interval.upperBound ? .fewer : published.error < interval.lowerBound ? .more : .within
        }
        literature = zip(Literature.results, standings).map { published, standing in
            LiteratureRow(model: published.model, source: published.source, reference: published.reference,
                          error: NumberFormat.percent(published.error),
                          errors: NumberFormat.count(published.errors(of: Dataset.testCount)),
                          standing: standing)
        }
        errorCounts = errors.flatMap { count -> ErrorCounts? in
            guard let interval, let best = Literature.results.min(by: { $0.error < $1.error }) else { return nil }
            let bestCount = best.errors(of: Dataset.testCount)
            return ErrorCounts(
                errors: NumberFormat.count(count), rate: NumberFormat.percent(Double(count) / Double(n)),
                low: NumberFormat.percent(interval.lowerBound), high: NumberFormat.percent(interval.upperBound),
                moreAny: standings.contains(.more),
                ratioToBest: NumberFormat.decimal(Double(count) / Double(max(bestCount, 1)), 1))
        }
    }

    /// The model's facts, and its FLOPs per epoch (for the throughput of the run).
    static func facts(_ experiment: Experiment, results: ResultsDocument) -> (ModelFacts, flops: Double) {
        // The hyper-parameters and layers as the run trained them (its record), else the catalogue's.
        let (spec, record) = ReportViewModel.trainedSpec(ModelKind(experiment.model), in: results)
        let layers = record?.layers ?? spec.layers
        let model = described(layers), lenet = described(ReportViewModel.layers(.lenet5, in: results))
        let weights = model?.nonTrainable ?? 0
        let trainable = model?.parameters ?? 0
        var rotation = "–", translation = "–"
        for layer in layers {
            if case let .randomRotation(factor) = layer { rotation = NumberFormat.decimal(Double(factor) * 360, 0) + "°" }
            if case let .randomTranslation(height, _) = layer { translation = NumberFormat.wholePercent(Double(height)) }
        }
        let wide = described(Catalogue.cnn(name: "cnn32", label: "", summary: "", channels: (32, 64)).layers(nil))
        let flops = model.map { epochFLOPs($0) } ?? 0, lenetFlops = lenet.map { epochFLOPs($0) } ?? 0
        let wideFlops = wide.map { epochFLOPs($0) } ?? 0
        let convolutionFlops = model.map { m in epochFLOPs(m) { if case .conv2D = $0 { true } else { false } } } ?? 0
        let facts = ModelFacts(
            params: NumberFormat.count(trainable + weights), trainable: NumberFormat.count(trainable), nonTrainable: NumberFormat.count(weights),
            lenetParams: NumberFormat.count(lenet?.parameters ?? 0), epochs: String(spec.hyperparameters.epochs),
            batch: String(spec.hyperparameters.batchSize), learningRate: String(format: "%g", Double(spec.hyperparameters.learningRate)),
            teraflops: NumberFormat.decimal(flops / 1e12, 2), lenetTeraflops: NumberFormat.decimal(lenetFlops / 1e12, 2),
            paramsRatio: NumberFormat.decimal(Double(trainable + weights) / Double(max(lenet?.parameters ?? 1, 1)), 1),
            convolutionShare: NumberFormat.wholePercent(flops > 0 ? convolutionFlops / flops : 0),
            wideTeraflops: NumberFormat.decimal(wideFlops / 1e12, 2), wideRatio: NumberFormat.decimal(flops > 0 ? wideFlops / flops : 0, 1),
            rotation: rotation, translation: translation)
        return (facts, flops)
    }

    /// The model of `layers` on MNIST's images, described without building it.
    static func described(_ layers: [LayerConfiguration]) -> ModelDescription? {
        try? ModelDescription(layers, inputShape: TrainingSpec.inputShape)
    }

    /// One epoch's matrix-product FLOPs of `model` on MNIST, in the layers `including` picks (all by default).
    static func epochFLOPs(_ model: ModelDescription, including: (LayerConfiguration) -> Bool = { _ in true }) -> Double {
        model.layers.indices.filter { including(model.layers[$0].configuration) }.reduce(0) {
            $0 + model.epochFLOPs(layer: $1, trainItems: Dataset.trainingCount, testItems: Dataset.testCount)
        }
    }

    /// The ablation's rows, in the catalogue's order, when the run has them all; each compared
    /// with the row that keeps every ingredient by `AblationAnalysis`: with replicates, by the
    /// paired t-test on the seeds' differences; without, on 2 √2 σ of σ borrowed from `noise`.
    /// McNemar's test on the same test images, Holm-adjusted over the rows, says whether the
    /// first seed's two networks differ on this test set.
    static func ablation(_ experiment: Experiment, results: ResultsDocument, noise: SeedNoise, labels: [UInt8]) -> Ablation? {
        // The replicates present for every row, counted from the first: 1 in the quick profile.
        let replicates = (0..<max(experiment.variantReplicates, 1)).prefix { r in
            experiment.variants.allSatisfy { results.training(experiment.trainingID($0, replicate: r)) != nil }
        }.count
        guard replicates > 0 else { return nil }
        let records = experiment.variants.map { variant in
            (variant: variant, records: (0..<replicates).map { results.training(experiment.trainingID(variant, replicate: $0))! })
        }
        let accuracies = records.map { $0.records.map(\.testAccuracy) }
        guard let analysis = AblationAnalysis(reference: accuracies[0], variants: Array(accuracies.dropFirst()), borrowedSD: noise.sd)
        else { return nil }
        let first = records[0].records[0]
        // McNemar's test of the first seed's networks, row by row, Holm-adjusted over the variants.
        let pairs = records.dropFirst().map { RunComparison.disagreements(first, $0.records[0], labels: labels) }
        let mcNemar = pairs.map { $0.map { Statistics.mcNemar(b: $0.onlyA, c: $0.onlyB).p } }
        let present = mcNemar.compactMap { $0 }
        var adjustedMcNemar = Statistics.holm(present).makeIterator()
        let mcNemarAdjusted = mcNemar.map { $0 == nil ? nil : adjustedMcNemar.next() }
        let rows = records.enumerated().map { index, entry in
            let row = index == 0 ? nil : analysis.rows[index - 1]
            let pair = index == 0 ? nil : pairs[index - 1]
            let testP = index == 0 ? nil : mcNemarAdjusted[index - 1]
            let mean = row?.summary.mean ?? analysis.reference.mean
            return AblationRow(label: entry.variant.label, accuracy: NumberFormat.accuracy(mean),
                               perSeed: entry.records.map { NumberFormat.accuracy($0.testAccuracy) }.joined(separator: " · "),
                               sd: NumberFormat.accuracy((row?.summary ?? analysis.reference).sampleSD),
                               errors: NumberFormat.count(TrainingView.errors(entry.records[0])),
                               diff: row.map { NumberFormat.signed($0.difference) } ?? "",
                               isAll: index == 0, adjustedP: row?.adjustedP.map { NumberFormat.pValue($0) } ?? "–",
                               costs: row?.verdict == .costs, gains: row?.verdict == .gains, inconclusive: row?.verdict == .inconclusive,
                               onlyAll: pair.map { NumberFormat.count($0.onlyA) } ?? "–",
                               onlyVariant: pair.map { NumberFormat.count($0.onlyB) } ?? "–",
                               mcNemarP: testP.map(NumberFormat.pValue) ?? "–",
                               differOnTestSet: (testP ?? 1) < ReferenceComparison.significance)
        }
        let detectable = analysis.rows.compactMap(\.detectable)
        return Ablation(
            epochs: String(first.hyperparameters.epochs),
            epochsText: NumberFormat.epochs(first.hyperparameters.epochs),
            rows: rows, all: NumberFormat.accuracy(analysis.reference.mean),
            replicated: analysis.replicated, seedsText: NumberFormat.words(replicates), seeds: String(replicates),
            detectableLow: detectable.min().map(NumberFormat.accuracy) ?? "–",
            detectableHigh: detectable.max().map(NumberFormat.accuracy) ?? "–",
            yardstick: analysis.yardstick.map(NumberFormat.accuracy) ?? "–",
            anyInconclusive: rows.contains(where: \.inconclusive))
    }
}
