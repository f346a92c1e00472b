import Analysis
import Assignment
import Foundation
import NeuralEngine
@testable import Results
import ReportFixtures
@testable import Rendering
import Plotting
import Testing

/// Every flag that chooses a claim in the prose, asserted where it must be true and where it
/// must be false, on the fixture run with histories and sweeps set to tell each case.
@Suite struct SectionViewTests {
    /// The notebook's claim of overfitting after epoch 9, tested against its own log.
    @Test func theNotebooksClaimIsTestedAgainstItsLog() {
        let claim = Section23View(Fixtures.results()).notebookClaim
        #expect(claim.epoch == "9" && claim.accuracy == "0.9725 → 0.9731" && claim.loss == "0.0973 → 0.0913")
        #expect(!claim.accuracyFalls && !claim.lossRises)
    }

    /// A choice reaches the templates as one flag per case, true for its own.
    @Test func aChoiceIsOneFlagPerCase() {
        let flags = TemplateValue(SweepAnalysis.Shape.dropAtLargest)
        #expect(flags == ["decreasing": false, "increasing": false, "drop_at_largest": true, "flat": false, "irregular": false])
    }

    static func with(_ id: String, training: [Double], validation: [Double], in document: inout ResultsDocument) {
        guard let i = document.trainings.firstIndex(where: { $0.id == id }) else { Issue.record("no training \(id)"); return }
        var h = History()
        h.accuracy = training
        h.valAccuracy = validation
        h.loss = training.map { 1 - $0 }
        h.valLoss = validation.map { 1 - $0 }
        document.trainings[i].history = h
        document.trainings[i].hyperparameters.epochs = training.count
        document.trainings[i].secondsPerEpoch = Array(repeating: 1, count: training.count)
    }

    /// Sets the sweep's final validation (and training) accuracies: `values[factor][replicate]`.
    static func sweep(_ values: [[Double]], training: [[Double]]? = nil, in document: inout ResultsDocument) {
        for i in document.trainings.indices {
            guard let f = document.trainings[i].sweepIndex, let r = document.trainings[i].replicate else { continue }
            let v = values[f][r]
            let t = training?[f][r] ?? 0.999
            with(document.trainings[i].id, training: [t - 0.01, t], validation: [v - 0.01, v], in: &document)
        }
    }

    // MARK: 2.3

    @Test func section23ChoosesStartsToOverfitOnlyWhenTheGapGrowsAndValidationStalls() throws {
        var document = Fixtures.results()
        Self.with("2.3", training: [0.8587, 0.9307, 0.9476, 0.9575, 0.9634, 0.9686, 0.9720, 0.9748, 0.9777, 0.9791],
                  validation: [0.9182, 0.9394, 0.9504, 0.9610, 0.9577, 0.9653, 0.9665, 0.9687, 0.9699, 0.9684], in: &document)
        let fit = try #require(Section23View(document).result?.training.fit)
        #expect(fit.verdict == .startsToOverfit)
        #expect(fit.gapStart == "+0.0055" && fit.gapEnd == "+0.0107")

        Self.with("2.3", training: [0.90, 0.93, 0.95, 0.96, 0.97], validation: [0.91, 0.94, 0.955, 0.965, 0.975], in: &document)
        let healthy = try #require(Section23View(document).result?.training.fit)
        #expect(healthy.verdict == .noSign)
        #expect(Section23View(document).result?.training.valAboveTrain == true)
    }

    @Test func theNotebooksOwnRunIsJudgedByItsValidationCurve() {
        let view = Section23View(Fixtures.results())
        #expect(view.notebookBestAtEnd)            // 0.9731 is the notebook's best and last value
        #expect(view.keras.notebookAboveAll)       // above all eight Keras trainings
        #expect(view.notebookGap == "+0.0048")
    }

    // MARK: 2.4

    static let runSweep: [[Double]] = [[0.9824, 0.9814, 0.9813], [0.9803, 0.9834, 0.9820], [0.9827, 0.9818, 0.9839],
                                       [0.9819, 0.9827, 0.9830], [0.9806, 0.9807, 0.9792]]
    static let runTraining: [[Double]] = [[1.0, 1.0, 1.0], [0.9995, 0.9994, 0.9995], [0.9979, 0.9976, 0.9977],
                                          [0.9959, 0.9961, 0.9958], [0.9930, 0.9938, 0.9935]]

    @Test func theSweepsLastStepIsNotEstablishedOverTheFamily() throws {
        var document = Fixtures.results()
        Self.sweep(Self.runSweep, training: Self.runTraining, in: &document)
        let sweep = try #require(Section24View(document).sweep)
        // The pooled test gives the last step p = 0.015 alone, but Holm over the seven tests
        // (0.107) and the analysis of variance (0.061) do not back it.
        #expect(sweep.shape == .flat)
        let step = try #require(sweep.strongest)
        #expect(step.lower == "7.5025e-4" && step.higher == "1e-3")
        #expect(step.significant && !step.survivesCorrection && step.separated)
        #expect(step.p == "0.015" && step.adjustedP == "0.107")
        #expect(sweep.anovaP == "0.061" && sweep.anovaDF == "4, 10" && !sweep.anovaSignificant)
        #expect(sweep.pooledSD == "0.0010" && sweep.pooledDF == "10" && sweep.family == "seven")
        #expect(sweep.detectable == "0.0025")
        #expect(sweep.entirelyAboveWorst == "1e-6, 5.005e-4 and 7.5025e-4")
        #expect(sweep.trainingFallsThroughout)
        #expect(sweep.rows.map(\.sd) == ["0.00061", "0.00155", "0.00105", "0.00057", "0.00084"])
        // The notebook's printed replicates: sample SD 0.00042, printed np.std 0.00034.
        #expect(sweep.rows[0].notebookSD == "0.00042" && sweep.rows[0].notebookPopulationSD == "0.00034")
        #expect(sweep.notebook.shape == .flat && sweep.notebook.slopeP == "0.100" && sweep.notebook.anovaP == "0.381")
    }

    @Test func theNotebooksReplicatesAreQuotedFromItsLog() {
        let view = Section24View(Fixtures.results())
        #expect(view.notebookReplicatesLow == "0.9791" && view.notebookReplicatesHigh == "0.9831")
        #expect(!view.notebookReplicatesReachHinton && view.notebookBestReplicateGap == "−0.0016")
    }

    @Test func aFlatSweepCannotRankItsFactors() throws {
        var document = Fixtures.results()
        let flat = (0..<5).map { i in [0.980, 0.981, 0.979].map { $0 + 0.0001 * Double(i % 2) } }
        Self.sweep(flat, in: &document)
        let sweep = try #require(Section24View(document).sweep)
        #expect(sweep.shape == .flat)
        #expect(sweep.strongest?.significant == false)
        #expect(!sweep.trainingFallsThroughout)
    }

    @Test func hintonIsMissedBeyondTheSeedOrMatchedWithinIt() throws {
        var document = Fixtures.results()
        Self.sweep(Self.runSweep, in: &document)
        let i = try #require(document.trainings.firstIndex { $0.id == "2.4" })
        document.trainings[i].testAccuracy = 0.9818
        let below = try #require(Section24View(document).single?.hinton)
        #expect(below.verdict == .below && !below.matches && below.sds == "2.1" && below.againstOneTraining && below.images == "29")
        document.trainings[i].testAccuracy = 0.9840
        let close = try #require(Section24View(document).single?.hinton)
        #expect(close.verdict == .matchesOrSlightlyBelow && close.matches)
    }

    @Test func theBestValidationAccuracyNamesItsTrainingAndWhetherHintonIsReached() throws {
        var document = Fixtures.results()
        Self.sweep(Self.runSweep, in: &document)
        let best = try #require(Section24View(document).best)
        #expect(best.final == "0.9839" && best.finalSetting == "the sweep's L2 = 5.005e-4, replicate 3")
        #expect(!best.reachesHinton && best.finalImages == "8")
        var high = Self.runSweep
        high[1][2] = 0.9850
        Self.sweep(high, in: &document)
        let reached = try #require(Section24View(document).best)
        #expect(reached.reachesHinton && reached.peak == "0.9850")
    }

    @Test func aConvergedWideNetworkIsSaidToHaveMemorised() throws {
        var document = Fixtures.results()
        let training = (0..<12).map { min(1, 0.95 + 0.01 * Double($0)) }
        let early: [Double] = [0.95, 0.958, 0.966, 0.974]
        let late: [Double] = (4..<12).map { (i: Int) -> Double in i.isMultiple(of: 2) ? 0.9822 : 0.9818 }
        let validation = early + late
        Self.with("2.4", training: training, validation: validation, in: &document)
        let fit = try #require(Section24View(document).single?.training.fit)
        #expect(fit.verdict == .memorises && fit.converged && !fit.stillImproving)
        let rising = (0..<12).map { 0.95 + 0.002 * Double($0) }
        Self.with("2.4", training: rising.map { $0 + 0.01 }, validation: rising, in: &document)
        let climbing = try #require(Section24View(document).single?.training.fit)
        #expect(climbing.verdict != .memorises && !climbing.converged && climbing.stillImproving)
    }

    // MARK: 3.1 and 3.2

    @Test func lenetAgainstThePublishedFigureNeedsMoreThanTwoSeedSDsToClaimMore() throws {
        var document = Fixtures.results()
        Self.sweep(Self.runSweep, in: &document)
        let i = try #require(document.trainings.firstIndex { $0.id == "3.1" })
        document.trainings[i].testAccuracy = 0.9921
        let labels = Fixtures.testSplit.labels
        let close = try #require(Section31View(document, labels: labels).result?.againstPublished)
        #expect(close.verdict == .matchesOrSlightlyAbove && close.images == "16")
        document.trainings[i].testAccuracy = 0.9950
        let far = try #require(Section31View(document, labels: labels).result?.againstPublished)
        #expect(far.verdict == .above && !far.matches)
    }

    @Test func theErrorsViewCountsConfusionsAndSharedMistakes() throws {
        var document = Fixtures.results()
        // Every network predicts 5 for every 3 (labels are i % 10): 1,000 errors, all "3 → 5", shared by all.
        let threesAsFives = String((0..<Fixtures.testImages).map { Character(String($0 % 10 == 3 ? 5 : $0 % 10)) })
        for i in document.trainings.indices {
            (document.trainings[i].testPredictions, document.trainings[i].testAccuracy) = (threesAsFives, 0.9)
        }
        document = Fixtures.recorded(document)
        let errors = try #require(Section31View(document, labels: Fixtures.testSplit.labels).result?.errors)
        #expect(errors.count == "1,000" && errors.hardestDigit == "3")
        #expect(errors.overlaps.count == 2 && errors.sharedByAll == "1,000")
        // The pairs are ranked either way round: 45 of them for ten digits.
        #expect(errors.possiblePairs == "45")
        // The confusion matrix holds the 1,000 in one cell, row 3, column 5.
        let drawn = try #require(LeNetSection.draw(.confusion31, SectionInput(document, labels: Fixtures.testSplit.labels)))
        let matrix = try #require(drawn.figure as? ConfusionMatrix)
        #expect(matrix.counts[3][5] == 1_000 && matrix.mistakesByClass.reduce(0, +) == 1_000)
        // With labels the predictions match, there is nothing to say.
        let perfect = document.trainings.first { $0.id == "3.1" }!.testPredictions.utf8.map { $0 - 48 }
        #expect(Section31View(document, labels: perfect).result?.errors == nil)
    }

    @Test func section32NamesTheConfoundersAndRoundsTheRatio() throws {
        let view = try #require(Section32View(SectionInput(Fixtures.results())))
        #expect(Section32View.confounders(.lenet5, against: .mlp500).count == 3)
        #expect(Section32View.confounders(.mlp500, against: .mlp500).isEmpty)
        #expect(Section32View.confounders(.mlp64, against: .mlp500) == ["weight decay (no weight decay against L2 = 1e-5)", "training length (10 against 40 epochs)"])
        #expect(view.equivalentRatio == "30,908" && view.denseEquivalent == "4,821,600")
        #expect(view.confounderCount == "three")
    }

    // MARK: 2.2

    @Test func theLossSectionSaysWhetherClippingChangedAnything() throws {
        var document = Fixtures.results()
        #expect(LossView(document).clipping == nil)
        for i in document.trainings.indices { document.trainings[i].testClipped = 0 }
        let none = try #require(LossView(document).clipping)
        #expect(none.none && none.bound == "0.0000")
        let i = try #require(document.trainings.firstIndex { $0.id == "3.1" })
        document.trainings[i].testClipped = 3
        let some = try #require(LossView(document).clipping)
        #expect(!some.none && some.images == "3")
        // 3 × (103.28 − 16.12) / 10,000
        #expect(some.bound == "0.0261")
    }

    // MARK: the conversion to the templates' values

    @Test func viewModelsBecomeSnakeCaseObjectsAndAbsentPartsFalse() throws {
        let loss = TemplateValue(LossView(Fixtures.results()))
        #expect(loss["clipping"] == .flag(false), "\(loss)")
        #expect(TemplateValue.snakeCase("bestEpoch") == "best_epoch")
        #expect(TemplateValue.snakeCase("notebookPopulationSD") == "notebook_population_sd")
        #expect(TemplateValue.snakeCase("reaches99") == "reaches99")
        #expect(TemplateValue.snakeCase("sdValue") == "sd_value")
        #expect(TemplateValue.snakeCase("SDValue") == "sd_value")
        #expect(TemplateValue.snakeCase("swiftHTML") == "swift_html" && TemplateValue.snakeCase("nameA") == "name_a")
        var document = Fixtures.results()
        document.trainings.removeAll { $0.id == "2.3" }
        let context = TemplateValue(Section23View(document))
        #expect(context["result"] == .flag(false))
        #expect(context["notebook_accuracy"]?.text == "0.9731")
        #expect(context["keras"]?["notebook_above_all"]?.flag == true)
    }

    @Test func dictionariesBecomeObjectsByTheirKeysAndListsKeepTheirOrder() {
        struct Row { var name: String; var note: String? }
        struct Page { var rows: [Row]; var byName: [String: Row]; var fixed: TemplateValue }
        let rows = [Row(name: "b", note: "x"), Row(name: "a", note: nil)]
        let page = TemplateValue(Page(rows: rows, byName: Dictionary(uniqueKeysWithValues: rows.map { ($0.name, $0) }),
                                      fixed: ["kept": true]))
        #expect(page["rows"]?.items?.map { $0["name"]?.text } == ["b", "a"])
        #expect(page["by_name"]?["a"]?["note"] == .flag(false) && page["by_name"]?["b"]?["note"] == .text("x"))
        #expect(page["fixed"]?["kept"] == .flag(true))
    }

    @Test func mustacheRendersTheValuesAsTheCheckWalksThem() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "{{#rows}}[{{name}}{{#note}}:{{note}}{{/note}}]{{/rows}}{{^none}} none{{/none}} {{inner.word}}"
            .write(toFile: folder + "/page.mustache", atomically: true, encoding: .utf8)
        let templates = try StrictTemplates(directory: folder)
        let value: TemplateValue = ["rows": [["name": "a", "note": "x"], ["name": "b", "note": false]], "none": [],
                                    "inner": ["word": "w&"]]
        #expect(try templates.render("page", value) == "[a:x][b] none w&amp;")
        #expect(throws: ReportError.self) { try templates.render("page", ["rows": [], "none": false]) }
    }
}

/// "Beyond the notebook": the claims its prose draws from the run.
@Suite struct BeyondTheNotebookViewTests {
    static func document(main: Double, ablation: [Double]) -> ResultsDocument {
        var document = Fixtures.results()
        SectionViewTests.sweep(SectionViewTests.runSweep, in: &document)
        let experiment = Catalogue.experiment("3.1b")!
        for i in document.trainings.indices {
            if document.trainings[i].id == "3.1b" { document.trainings[i].testAccuracy = main }
            for (k, variant) in experiment.variants.enumerated() where document.trainings[i].id == experiment.trainingID(variant) {
                document.trainings[i].testAccuracy = ablation[k]
            }
            if document.trainings[i].id == "3.1" { document.trainings[i].testAccuracy = 0.9921 }
        }
        return document
    }

    @Test func theAimIsReachedOrMissedByTheRule() throws {
        let labels = Fixtures.testSplit.labels
        let reached = try #require(Section31bView(Self.document(main: 0.9953, ablation: [0.99, 0.99, 0.99, 0.99]), labels: labels).result)
        #expect(reached.reachesTarget && reached.lenet?.fewer == true && reached.lenet?.fewerErrors == "32")
        let close = try #require(Section31bView(Self.document(main: 0.9945, ablation: [0.99, 0.99, 0.99, 0.99]), labels: labels).result)
        #expect(!close.reachesTarget && close.againstTarget?.matches == true && close.againstTarget?.size == "0.0005")
        let far = try #require(Section31bView(Self.document(main: 0.9900, ablation: [0.99, 0.99, 0.99, 0.99]), labels: labels).result)
        #expect(far.againstTarget?.verdict == .below && far.lenet?.fewer == false)
    }

    @Test func theAblationSaysWhatCostsMoreThanTheSeed() throws {
        // Seed SD 0.00099 (the sweep's), so one training against another is judged by
        // 2 √2 σ = 0.0028: −0.0030 costs, −0.0010 is inconclusive, +0.0025 too, +0.0035 gains.
        let view = Section31bView(Self.document(main: 0.995, ablation: [0.9930, 0.9900, 0.9920, 0.9965]), labels: Fixtures.testSplit.labels)
        let ablation = try #require(view.ablation)
        let rows = ablation.rows
        #expect(rows.map(\.isAll) == [true, false, false, false])
        #expect(rows[1].costs && !rows[1].inconclusive)
        #expect(rows[2].inconclusive && !rows[2].costs)
        #expect(rows[3].gains)
        #expect(rows[1].diff == "−0.0030")
        #expect(ablation.yardstick == "0.0028" && ablation.anyInconclusive)
        let close = try #require(Section31bView(Self.document(main: 0.995, ablation: [0.9930, 0.9955, 0.9920, 0.9900]),
                                                labels: Fixtures.testSplit.labels).ablation)
        #expect(close.rows[1].inconclusive && !close.rows[1].gains)
    }

    @Test func theAblationWithReplicatesTestsOnItsOwnSpreads() throws {
        var document = Self.document(main: 0.995, ablation: [0.9930, 0.9900, 0.9925, 0.9940])
        let experiment = Catalogue.experiment("3.1b")!
        // Two more seeds per row, each 0.0002 either side of the first: every row's SD is 0.0002.
        for variant in experiment.variants {
            let first = try #require(document.training(experiment.trainingID(variant)))
            for (r, shift) in [(1, 0.0002), (2, -0.0002)] {
                var copy = first
                copy.id = experiment.trainingID(variant, replicate: r)
                copy.testAccuracy += shift
                document.trainings.append(copy)
            }
        }
        let ablation = try #require(Section31bView(document, labels: Fixtures.testSplit.labels).ablation)
        #expect(ablation.replicated && ablation.seeds == "3" && ablation.yardstick == "–")
        #expect(ablation.rows.allSatisfy { $0.sd == "0.0002" })
        #expect(ablation.rows[1].perSeed == "0.9900 · 0.9902 · 0.9898" && ablation.rows[1].accuracy == "0.9900")
        // Welch's standard error is 0.0002 √(2/3) ≈ 0.00016: −0.0030 and −0.0005 cost (the
        // latter at p = 0.038, last in Holm's order), +0.0010 gains.
        #expect(ablation.rows[1].costs && ablation.rows[2].costs && ablation.rows[3].gains)
        #expect(ablation.rows[1].adjustedP == "< 0.001" && !ablation.anyInconclusive)
    }

    /// 50 errors in 10,000: Wilson's 95 % interval 0.38–0.66 % (statsmodels gives the same), which
    /// leaves 0.95 and 0.80 % above it, holds 0.40 % and leaves 0.23 and 0.21 % below.
    @Test func theLiteratureIsComparedByErrorCounts() throws {
        let view = Section31bView(Self.document(main: 0.9950, ablation: [0.99, 0.99, 0.99, 0.99]), labels: Fixtures.testSplit.labels)
        #expect(view.literature.count == Literature.results.count)
        #expect(view.literature.map(\.standing) == [.fewer, .fewer, .within, .more, .more])
        let counts = try #require(view.errorCounts)
        #expect(counts.errors == "50" && counts.moreAny && counts.ratioToBest == "2.4")
        let interval = Statistics.wilsonInterval(50, of: 10_000)
        #expect(abs(interval.lowerBound - 0.0037949) < 1e-7 && abs(interval.upperBound - 0.0065853) < 1e-7)
        #expect(view.model.rotation == "10°" && view.model.translation == "10 %")
        var without = Fixtures.results()
        without.trainings.removeAll { $0.section == "3.1b" }
        let absent = Section31bView(without, labels: Fixtures.testSplit.labels)
        #expect(absent.result == nil && absent.ablation == nil && absent.errorCounts == nil)
        #expect(absent.literature.allSatisfy { $0.standing == .unknown })
    }
}
