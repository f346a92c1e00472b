import Results
import Analysis
import Assignment

/// Section 2.4: the wide network with weight decay, its sweep, the best validation accuracy
/// and the comparison with Hinton's figure.
struct Section24View {
    var hinton: String
    var notebookAccuracy: String
    var spreadLow: String
    var spreadHigh: String
    var notebookHintonGap: String
    /// The lowest and highest of the notebook's 15 printed replicate accuracies, and whether
    /// any reaches Hinton's figure (its text says they can).
    var notebookReplicatesLow: String
    var notebookReplicatesHigh: String
    var notebookReplicatesReachHinton: Bool
    var notebookBestReplicateGap: String
    var seed: SeedView
    var single: Single?
    var sweep: Sweep?
    var best: Best?

    struct SeedView {
        var sd: String
        var source: String
        /// σ's 95 % confidence interval.
        var interval: String
    }

    /// The one training with the notebook's L2 factor.
    struct Single {
        var training: TrainingView
        var l2: String
        var diff: String
        var withinSpread: Bool
        var hintonGap: String
        var hintonImages: String
        var hinton: ReferenceView?
        /// The binomial standard error of this accuracy on the test images.
        var standardError: String
    }

    /// The sweep's table and the claims its tests support.
    struct Sweep {
        var factors: String
        var first: String
        var last: String
        var replicates: String
        var trainings: String
        var epochs: String
        var notebookEpochs: String
        var epochsMatch: Bool
        var rows: [Row]
        var bestFactor: String
        var bestMean: String
        var worstFactor: String
        var worstMean: String
        var family: String
        /// The one-way analysis of variance over the factors.
        var anovaF: String
        var anovaP: String
        var anovaDF: String
        var anovaSignificant: Bool
        /// The pooled σ the steps are tested with, and its degrees of freedom.
        var pooledSD: String
        var pooledDF: String
        /// The smallest difference between two factors' means the design detects four times in five.
        var detectable: String
        var shape: SweepAnalysis.Shape
        var strongest: StepView?
        var extremes: StepView?
        /// The smallest p among the adjacent steps other than the strongest.
        var otherStepsMinP: String
        /// Below the largest factor, the largest difference between two factors' means.
        var spreadBelowLargest: String
        var belowLargestFirst: String
        var belowLargestLast: String
        /// The factors every replicate of which lies above every replicate of the worst factor.
        var entirelyAboveWorst: String
        var entirelyAboveWorstAny: Bool
        var trainingFirst: String
        var trainingLast: String
        var trainingFallsThroughout: Bool
        var slope: String
        var slopeP: String
        var slopeAdjustedP: String
        var slopeRest: String
        var slopeRestP: String
        var slopeRestAdjustedP: String
        var notebook: NotebookSweep
        /// The sweep's loop in Keras 3 (highlighted HTML), with the hyper-parameters of its trainings.
        var kerasHTML: String?
    }

    struct Row {
        var factor: String
        var mean: String
        var sd: String
        var n: String
        var replicates: String
        var training: String
        var notebookMean: String
        var notebookSD: String
        var notebookPopulationSD: String
        var diff: String
        var best: Bool
    }

    struct StepView {
        var lower: String
        var higher: String
        var difference: String
        var size: String
        var t: String
        var p: String
        var adjustedP: String
        var significant: Bool
        var survivesCorrection: Bool
        var separated: Bool
    }

    /// The notebook's sweep, tested the same way from its means and population SDs.
    struct NotebookSweep {
        var slope: String
        var slopeP: String
        var slopeAdjustedP: String
        var anovaP: String
        var minStepP: String
        var shape: SweepAnalysis.Shape
        var bestFactor: String
        var bestMean: String
    }

    /// The best validation accuracy any training of the section reached (question of 2.4).
    struct Best {
        var trainings: String
        var final: String
        var finalSetting: String
        var finalGap: String
        var finalImages: String
        var peak: String
        var peakSetting: String
        var peakEpoch: String
        var peakGap: String
        var reachesHinton: Bool
        var bestMeanFactor: String
        var bestMean: String
        var bestMeanGap: String
        /// The best factor's replicates against Hinton's figure taken as one training: the
        /// one-sample test of their mean, s · √(1/n + 1).
        var bestMeanAgainstHinton: ReferenceView?
        var hasSweep: Bool
        /// The number of means the best was chosen from.
        var factors: String
    }

    init(_ input: SectionInput) {
        let results = input.results
        hinton = NumberFormat.accuracy(Notebook.hinton500300)
        notebookAccuracy = NumberFormat.accuracy(Notebook.mlp500TestAccuracy)
        spreadLow = NumberFormat.accuracy(Notebook.mlp500Spread.low)
        spreadHigh = NumberFormat.accuracy(Notebook.mlp500Spread.high)
        notebookHintonGap = NumberFormat.signed(Notebook.mlp500TestAccuracy - Notebook.hinton500300)
        let printed = Notebook.sweepReplicateAccuracies.joined()
        notebookReplicatesLow = NumberFormat.accuracy(printed.min() ?? 0)
        notebookReplicatesHigh = NumberFormat.accuracy(printed.max() ?? 0)
        notebookReplicatesReachHinton = (printed.max() ?? 0) >= Notebook.hinton500300
        notebookBestReplicateGap = NumberFormat.signed((printed.max() ?? 0) - Notebook.hinton500300)

        let records = results.sweepTrainings
        let (analysis, noise) = (input.sweep, input.noise)
        seed = SeedView(sd: noise.text, source: noise.source, interval: noise.interval)

        single = results.training(.s2_4).map { r in
            let n = r.testPredictions.count
            return Single(
                training: TrainingView(r), l2: NumberFormat.factor(r.hyperparameters.l2 ?? 0),
                diff: NumberFormat.signed(r.testAccuracy - Notebook.mlp500TestAccuracy),
                withinSpread: r.testAccuracy >= Notebook.mlp500Spread.low - 1e-9 && r.testAccuracy <= Notebook.mlp500Spread.high + 1e-9,
                hintonGap: NumberFormat.signed(r.testAccuracy - Notebook.hinton500300),
                hintonImages: NumberFormat.count(NumberFormat.items(abs(Notebook.hinton500300 - r.testAccuracy), of: n)),
                hinton: ReferenceView(ReferenceComparison(accuracies: [r.testAccuracy], reference: Notebook.hinton500300, referenceIsOneTraining: true, borrowedSD: noise.sd)),
                standardError: NumberFormat.accuracy(Statistics.binomialStandardError(r.testAccuracy, count: n)))
        }
        sweep = analysis.map { Self.sweepView($0, records: records) }
        best = Self.best(results, sweep: analysis)
    }

    static func factor(_ value: Double) -> String { NumberFormat.factor(Float(value)) }

    static func step(_ s: SweepAnalysis.Step?, in a: SweepAnalysis) -> StepView? {
        guard let s else { return nil }
        return StepView(lower: factor(a.settings[s.lower].value), higher: factor(a.settings[s.higher].value),
                        difference: NumberFormat.signed(s.difference, 5), size: NumberFormat.accuracy5(abs(s.difference)),
                        t: NumberFormat.decimal(s.t, 1), p: NumberFormat.pValue(s.p), adjustedP: NumberFormat.pValue(s.adjustedP),
                        significant: s.p < SweepAnalysis.significance, survivesCorrection: s.adjustedP < SweepAnalysis.significance,
                        separated: s.separated)
    }

    static func sweepView(_ a: SweepAnalysis, records: [TrainingRecord]) -> Sweep {
        let notebookIndices = a.settings.map { s in Notebook.sweepFactors.firstIndex { Double($0) == s.value } ?? 0 }
        let rows = a.settings.indices.map { i -> Row in
            let s = a.settings[i], j = notebookIndices[i]
            let published = Statistics.Summary(Notebook.sweepReplicateAccuracies[j])
            return Row(factor: factor(s.value), mean: NumberFormat.accuracy5(s.summary.mean), sd: NumberFormat.accuracy5(s.summary.sampleSD),
                       n: String(s.summary.count), replicates: (s.replicates ?? []).map(NumberFormat.accuracy).joined(separator: ", "),
                       training: s.trainingMean.map(NumberFormat.accuracy) ?? "–",
                       notebookMean: NumberFormat.accuracy5(published.mean), notebookSD: NumberFormat.accuracy5(published.sampleSD),
                       notebookPopulationSD: NumberFormat.accuracy5(Notebook.printedSweepPopulationSDs[j]),
                       diff: NumberFormat.signed(s.summary.mean - published.mean, 5), best: i == a.best)
        }
        let strongest = a.strongestStep
        let others = a.steps.filter { $0.adjacent && !($0.lower == strongest?.lower && $0.higher == strongest?.higher) }
        let belowLargest = a.settings.dropLast().map(\.summary.mean)
        let above = a.settingsEntirelyAbove(a.worst).map { factor(a.settings[$0].value) }
        let training = a.settings.compactMap(\.trainingMean)
        let per = 0.001
        let listing = records.first.flatMap { first in
            first.model.kind.flatMap { kind in
                Catalogue.experiment(first.section)?.sweep.map { sweep in
                    SyntaxHighlighter.html(KerasSource.sweep(kind, sweep, hyperparameters: first.hyperparameters), language: .python)
                }
            }
        }
        return Sweep(
            factors: String(a.settings.count), first: factor(a.settings.first!.value), last: factor(a.settings.last!.value),
            replicates: String(Set(records.compactMap(\.replicate)).count), trainings: String(records.count),
            epochs: String(records.first?.hyperparameters.epochs ?? 0), notebookEpochs: String(ModelKind.mlp500.defaults.epochs),
            epochsMatch: records.allSatisfy { $0.hyperparameters.epochs == ModelKind.mlp500.defaults.epochs },
            rows: rows,
            bestFactor: factor(a.settings[a.best].value), bestMean: NumberFormat.accuracy5(a.settings[a.best].summary.mean),
            worstFactor: factor(a.settings[a.worst].value), worstMean: NumberFormat.accuracy5(a.settings[a.worst].summary.mean),
            family: NumberFormat.words(a.familySize),
            anovaF: NumberFormat.decimal(a.anova.f, 2), anovaP: NumberFormat.pValue(a.anova.p),
            anovaDF: "\(a.anova.df1), \(a.anova.df2)", anovaSignificant: a.anova.p < SweepAnalysis.significance,
            pooledSD: NumberFormat.accuracy(a.pooledSD), pooledDF: String(a.pooledDegreesOfFreedom),
            detectable: NumberFormat.accuracy(a.minimumDetectableDifference),
            shape: a.shape, strongest: step(strongest, in: a), extremes: step(a.extremes, in: a),
            otherStepsMinP: NumberFormat.pValue(others.map(\.p).min()),
            spreadBelowLargest: NumberFormat.accuracy5((belowLargest.max() ?? 0) - (belowLargest.min() ?? 0)),
            belowLargestFirst: factor(a.settings.first!.value), belowLargestLast: factor(a.settings[a.settings.count - 2].value),
            entirelyAboveWorst: NumberFormat.list(above), entirelyAboveWorstAny: !above.isEmpty,
            trainingFirst: training.first.map(NumberFormat.accuracy) ?? "–", trainingLast: training.last.map(NumberFormat.accuracy) ?? "–",
            trainingFallsThroughout: a.trainingFallsThroughout == true,
            slope: NumberFormat.signed((a.slope?.slope ?? 0) * per), slopeP: NumberFormat.pValue(a.slope?.p),
            slopeAdjustedP: NumberFormat.pValue(a.slope?.adjustedP),
            slopeRest: NumberFormat.signed((a.slopeWithoutLargest?.slope ?? 0) * per), slopeRestP: NumberFormat.pValue(a.slopeWithoutLargest?.p),
            slopeRestAdjustedP: NumberFormat.pValue(a.slopeWithoutLargest?.adjustedP),
            notebook: notebookSweep(), kerasHTML: listing)
    }

    static func notebookSweep() -> NotebookSweep {
        let settings = Notebook.sweepFactors.indices.map { i in
            SweepAnalysis.Setting(value: Double(Notebook.sweepFactors[i]), replicates: Notebook.sweepReplicateAccuracies[i])
        }
        let a = SweepAnalysis(settings)!
        return NotebookSweep(slope: NumberFormat.signed((a.slope?.slope ?? 0) * 0.001), slopeP: NumberFormat.pValue(a.slope?.p),
                             slopeAdjustedP: NumberFormat.pValue(a.slope?.adjustedP), anovaP: NumberFormat.pValue(a.anova.p),
                             minStepP: NumberFormat.pValue(a.steps.filter(\.adjacent).map(\.p).min()), shape: a.shape,
                             bestFactor: factor(a.settings[a.best].value), bestMean: NumberFormat.accuracy5(a.settings[a.best].summary.mean))
    }

    /// The best final and the best single-epoch validation accuracy over the single training and the sweep.
    static func best(_ results: ResultsDocument, sweep: SweepAnalysis?) -> Best? {
        let all = results.trainings(of: .s2_4).filter { !$0.history.valAccuracy.isEmpty }
        guard let final = all.max(by: { $0.finalValidationAccuracy < $1.finalValidationAccuracy }),
              let peak = all.max(by: { ($0.history.valAccuracy.max() ?? 0) < ($1.history.valAccuracy.max() ?? 0) }) else { return nil }
        let n = final.testPredictions.count
        let peakValue = peak.history.valAccuracy.max() ?? 0
        let bestMean = sweep.map { $0.settings[$0.best] }
        return Best(
            trainings: String(all.count),
            final: NumberFormat.accuracy(final.finalValidationAccuracy), finalSetting: setting(final),
            finalGap: NumberFormat.signed(final.finalValidationAccuracy - Notebook.hinton500300),
            finalImages: NumberFormat.count(NumberFormat.items(abs(final.finalValidationAccuracy - Notebook.hinton500300), of: max(n, 1))),
            peak: NumberFormat.accuracy(peakValue), peakSetting: setting(peak), peakEpoch: String(peak.bestEpoch),
            peakGap: NumberFormat.signed(peakValue - Notebook.hinton500300),
            reachesHinton: peakValue >= Notebook.hinton500300,
            bestMeanFactor: bestMean.map { factor($0.value) } ?? "–",
            bestMean: bestMean.map { NumberFormat.accuracy5($0.summary.mean) } ?? "–",
            bestMeanGap: bestMean.map { NumberFormat.signed($0.summary.mean - Notebook.hinton500300) } ?? "–",
            bestMeanAgainstHinton: bestMean.flatMap { setting in
                setting.replicates.flatMap {
                    ReferenceComparison(accuracies: $0, reference: Notebook.hinton500300, referenceIsOneTraining: true, borrowedSD: nil)
                }
            }.flatMap(ReferenceView.init),
            hasSweep: sweep != nil,
            factors: NumberFormat.words(sweep?.settings.count ?? 0))
    }

    /// "L2 = 5.005e-4, replicate 3" or "the single training, L2 = 1e-5".
    static func setting(_ r: TrainingRecord) -> String {
        let l2 = "L2 = " + NumberFormat.factor(r.hyperparameters.l2 ?? 0)
        guard let replicate = r.replicate else { return "the single training, \(l2)" }
        return "the sweep's \(l2), replicate \(replicate + 1)"
    }

}

/// `ReferenceComparison` in words.
struct ReferenceView {
    var verdict: ReferenceComparison.Verdict
    /// Either of the verdicts short of a real difference.
    var matches: Bool
    var difference: String
    /// The difference without its sign: "0.0029".
    var size: String
    var images: String
    /// The difference in units of the yardstick, unsigned: "2.1".
    var sds: String
    /// The yardstick: σ against a fixed value, √2 σ against one training.
    var yardstick: String
    var againstOneTraining: Bool
    /// The one-sample test's p as a clause ("p = 0.24"), for two or more trainings; "–" otherwise.
    var p: String
    /// What `sds` counts, in words with the yardstick's value.
    var unit: String
    var borrowed: Bool

    /// Nil without a comparison (accuracies that are not finite), which templates skip.
    init?(_ c: ReferenceComparison?) {
        guard let c else { return nil }
        verdict = c.verdict
        matches = verdict == .matchesOrSlightlyAbove || verdict == .matchesOrSlightlyBelow
        difference = NumberFormat.signed(c.difference)
        size = NumberFormat.accuracy(abs(c.difference))
        images = NumberFormat.count(NumberFormat.items(abs(c.difference), of: Dataset.testCount))
        sds = c.inStandardDeviations.map { NumberFormat.decimal(abs($0), 1) } ?? "–"
        yardstick = c.yardstick.map(NumberFormat.accuracy) ?? "–"
        againstOneTraining = c.referenceIsOneTraining
        p = c.p.map(NumberFormat.pClause) ?? "–"
        unit = againstOneTraining
            ? "× √2 σ (\(yardstick)), the SD of two single trainings' difference"
            : "× σ (\(yardstick))"
        borrowed = c.borrowed
    }
}

extension SweepAnalysis.Shape: TemplateChoice {}
extension ReferenceComparison.Verdict: TemplateChoice {}
