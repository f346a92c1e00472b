import Analysis
import Testing

/// The fit rules on the histories of the project's full-profile run (2.3, 2.4, 3.1) and on
/// made-up curves for the cases those runs do not show.
@Suite struct FitDiagnosisTests {
    /// Section 2.3: the gap widens from +0.0055 to +0.0107 over epochs 7–10 while validation stalls.
    static let mlp64 = (training: [0.8587, 0.9307, 0.9476, 0.9575, 0.9634, 0.9686, 0.9720, 0.9748, 0.9777, 0.9791],
                        validation: [0.9182, 0.9394, 0.9504, 0.9610, 0.9577, 0.9653, 0.9665, 0.9687, 0.9699, 0.9684])

    @Test func theSmallNetworkStartsToOverfit() throws {
        let d = try #require(FitDiagnosis(training: Self.mlp64.training, validation: Self.mlp64.validation))
        #expect(d.window == 7...10)
        #expect(abs(d.gapAtWindowStart - 0.0055) < 1e-9 && abs(d.finalGap - 0.0107) < 1e-9)
        #expect(d.verdict == .startsToOverfit)
        #expect(d.bestEpoch == 9 && abs(d.peakDrop - 0.0015) < 1e-9)
        #expect(!d.stillImproving && !d.converged)
    }

    /// The same gap, with the run's validation loss falling at every epoch of the window
    /// (0.1098 → 0.1013 → 0.0980 → 0.0969): training pulls ahead, the network still improves.
    @Test func aWideningGapWithFallingValidationLossPullsAhead() throws {
        let loss = [0.2697, 0.1990, 0.1656, 0.1357, 0.1482, 0.1203, 0.1098, 0.1013, 0.0980, 0.0969]
        let d = try #require(FitDiagnosis(training: Self.mlp64.training, validation: Self.mlp64.validation, validationLoss: loss))
        #expect(d.verdict == .pullsAhead && d.validationLossFalling == true)
        #expect(abs(d.lastEpochGapGrowth - 0.0029) < 1e-9)
        // Once the loss turns up within the window, the widening gap is the start of overfitting.
        var turned = loss
        turned[9] = 0.0990
        let t = try #require(FitDiagnosis(training: Self.mlp64.training, validation: Self.mlp64.validation, validationLoss: turned))
        #expect(t.verdict == .startsToOverfit && t.validationLossFalling == false)
    }

    @Test func theWideNetworkMemorisesAndHasConverged() throws {
        // Section 2.4's last 14 epochs (27–40) after 26 epochs of steady climbing.
        let head = (0..<26).map { 0.95 + 0.0018 * Double($0) }
        let training = head + [0.9998, 0.9997, 0.9998, 0.9999, 0.9999, 0.9999, 1.0, 0.9999, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]
        let validation = (0..<26).map { 0.93 + 0.0017 * Double($0) }
            + [0.9822, 0.9817, 0.9819, 0.9815, 0.9818, 0.9819, 0.9823, 0.9815, 0.9818, 0.9822, 0.9820, 0.9819, 0.9822, 0.9818]
        let d = try #require(FitDiagnosis(training: training, validation: validation))
        #expect(d.window == 27...40)
        #expect(d.verdict == .memorises)
        #expect(d.bestEpoch == 33)
        #expect(!d.stillImproving)
        #expect(d.converged)
        #expect(d.validationRange == 0.9815...0.9823)
    }

    @Test func theConvolutionalNetworkShowsNoSign() throws {
        // Section 3.1 with dropout: training below validation, the gap closing slowly.
        let validation = [0.9913, 0.9909, 0.9910, 0.9912, 0.9913, 0.9922, 0.9919, 0.9909, 0.9905, 0.9911, 0.9918, 0.9907, 0.9907, 0.9921, 0.9906, 0.9914, 0.9921]
        let training = [0.9891, 0.9897, 0.9894, 0.9897, 0.9901, 0.9907, 0.9908, 0.9907, 0.9912, 0.9911, 0.9909, 0.9910, 0.9915, 0.9918, 0.9922, 0.9914, 0.9916]
        let d = try #require(FitDiagnosis(training: training, validation: validation))
        #expect(d.verdict == .noSign)
        #expect(!d.converged)
    }

    @Test func aTrainingCurveCatchingUpFromBelowIsNoSign() throws {
        // The first three epochs of 2.3: the running training accuracy lags, the gap closes from −0.06 to −0.003.
        let d = try #require(FitDiagnosis(training: [0.8587, 0.9307, 0.9474], validation: [0.9182, 0.9394, 0.9504]))
        #expect(d.verdict == .noSign)
        // Crossing zero and going on counts from zero: −0.002 → +0.010 is a widening of 0.010.
        let crossing = try #require(FitDiagnosis(training: [0.95, 0.96, 0.97, 0.98], validation: [0.953, 0.962, 0.966, 0.970]))
        #expect(crossing.verdict == .startsToOverfit)
    }

    @Test func aFallingValidationCurveOverfits() throws {
        let training = [0.90, 0.94, 0.96, 0.97, 0.98, 0.985, 0.99, 0.993, 0.995]
        let validation = [0.93, 0.95, 0.96, 0.965, 0.962, 0.960, 0.958, 0.957, 0.955]
        let d = try #require(FitDiagnosis(training: training, validation: validation))
        #expect(d.verdict == .overfits)
        #expect(d.bestEpoch == 4 && abs(d.peakDrop - 0.01) < 1e-12)
    }

    @Test func aCurveStillClimbingIsImprovingWithNoSign() throws {
        let training = (0..<10).map { 0.90 + 0.008 * Double($0) }
        let validation = (0..<10).map { 0.91 + 0.008 * Double($0) }
        let d = try #require(FitDiagnosis(training: training, validation: validation))
        #expect(d.verdict == .noSign)
        #expect(d.stillImproving)
        #expect(d.bestEpoch == 10)
    }

    @Test func shortOrEmptyHistoriesAreRefused() {
        #expect(FitDiagnosis(training: [0.9], validation: [0.9]) == nil)
        #expect(FitDiagnosis(training: [], validation: []) == nil)
        let two = FitDiagnosis(training: [0.9, 0.95], validation: [0.92, 0.94])
        #expect(two?.window == 1...2)
    }
}

@Suite struct ReferenceComparisonTests {
    /// LeNet-5 of the full run against the MNIST page's 0.9905, itself one training: the
    /// yardstick is √2 × the sweep's pooled seed spread.
    @Test func oneTrainingAgainstAnotherIsMeasuredInTheSDOfADifference() throws {
        let c = try #require(ReferenceComparison(accuracies: [0.9921], reference: 0.9905, referenceIsOneTraining: true, borrowedSD: 0.000992))
        #expect(c.verdict == .matchesOrSlightlyAbove)
        #expect(c.borrowed && c.p == nil)
        #expect(abs(c.yardstick! - 0.000992 * 2.0.squareRoot()) < 1e-12)
        #expect(abs(c.inStandardDeviations! - 1.6129 / 2.0.squareRoot()) < 1e-3)
        let below = try #require(ReferenceComparison(accuracies: [0.9895], reference: 0.9905, referenceIsOneTraining: true, borrowedSD: 0.000992))
        #expect(below.verdict == .matchesOrSlightlyBelow)
        // 2.5 σ from one training is beyond 2 σ but within 2 √2 σ: not established.
        let between = try #require(ReferenceComparison(accuracies: [0.9880], reference: 0.9905, referenceIsOneTraining: true, borrowedSD: 0.001))
        #expect(between.verdict == .matchesOrSlightlyBelow)
        let fixed = try #require(ReferenceComparison(accuracies: [0.9880], reference: 0.9905, referenceIsOneTraining: false, borrowedSD: 0.001))
        #expect(fixed.verdict == .below && fixed.yardstick == 0.001)
    }

    @Test func oneTrainingBeyondTheYardstickIsBelow() throws {
        // Section 2.4's single training against Hinton's 0.9847.
        let c = try #require(ReferenceComparison(accuracies: [0.9818], reference: 0.9847, referenceIsOneTraining: true, borrowedSD: 0.000992))
        #expect(c.verdict == .below)
        let above = try #require(ReferenceComparison(accuracies: [0.9947], reference: 0.9905, referenceIsOneTraining: true, borrowedSD: 0.001))
        #expect(above.verdict == .above)
        let noSpread = try #require(ReferenceComparison(accuracies: [0.9947], reference: 0.9905, referenceIsOneTraining: true, borrowedSD: nil))
        #expect(noSpread.verdict == .matchesOrSlightlyAbove)
    }

    @Test func replicatesUseTheirOwnSpread() throws {
        // The three replicates at 1e-6 against a fixed 0.9847: scipy's ttest_1samp gives p = 0.013428.
        let c = try #require(ReferenceComparison(accuracies: [0.9824, 0.9814, 0.9813], reference: 0.9847, referenceIsOneTraining: false, borrowedSD: 0.5))
        #expect(!c.borrowed && abs(c.p! - 0.013428) < 1e-5)
        #expect(c.verdict == .below)
        // Against one training, the standard error is s · √(1/3 + 1): t = −2.9063 on 2 df.
        let single = try #require(ReferenceComparison(accuracies: [0.9824, 0.9814, 0.9813], reference: 0.9847, referenceIsOneTraining: true, borrowedSD: nil))
        #expect(abs(single.p! - Statistics.studentTwoSidedP(t: -0.0030 / (0.000608276 * (4.0 / 3).squareRoot()), df: 2)) < 1e-4)
        #expect(single.verdict == .matchesOrSlightlyBelow)
        let close = try #require(ReferenceComparison(accuracies: [0.9840, 0.9850, 0.9845], reference: 0.9847, referenceIsOneTraining: false, borrowedSD: nil))
        #expect(close.verdict == .matchesOrSlightlyBelow)
    }

    @Test func aStandardDeviationsIntervalAndQuantilesMatchScipy() {
        // scipy: chi2.ppf for 10 degrees of freedom; t.ppf(0.975, 10).
        let interval = Statistics.standardDeviationInterval(sd: 0.000991632, df: 10)
        #expect(abs(interval.lowerBound - 0.00069287) < 1e-7 && abs(interval.upperBound - 0.00174025) < 1e-7)
        #expect(abs(Statistics.studentQuantile(upper: 0.025, df: 10) - 2.228139) < 1e-5)
    }
}

@Suite struct ErrorAnalysisTests {
    @Test func confusionsClassesAndOverlaps() throws {
        // Ten items: this classifier gets items 0, 1, 2 wrong; the other gets 1, 2, 3 wrong.
        let labels = [4, 4, 9, 7, 1, 1, 2, 3, 5, 6]
        let mine = [9, 9, 4, 7, 1, 1, 2, 3, 5, 6]
        let other = [4, 9, 7, 1, 1, 1, 2, 3, 5, 6]
        let e = try #require(ErrorAnalysis(predictions: mine, labels: labels, others: [("dense", other)]))
        #expect(e.errors == [0, 1, 2])
        #expect(e.confusions.first == ErrorAnalysis.Confusion(truth: 4, predicted: 9, count: 2))
        #expect(e.pairs.first! == (a: 4, b: 9, count: 3))
        #expect(e.share(ofTopPairs: 1) == 1)
        #expect(e.hardestClass == 4)
        #expect(e.errorsByClass[4] == 2 && e.itemsByClass[4] == 2)
        let overlap = try #require(e.overlaps.first)
        #expect(overlap.errors == 3 && overlap.shared == 2 && overlap.sameAnswer == 1)
        #expect(abs(overlap.expected - 0.9) < 1e-12)
        #expect(e.sharedByAll == 2)
    }

    @Test func refusesMismatchedOrOutOfRangeInput() {
        #expect(ErrorAnalysis(predictions: [1, 2], labels: [1]) == nil)
        #expect(ErrorAnalysis(predictions: [10], labels: [1]) == nil)
        #expect(ErrorAnalysis(predictions: [1], labels: [1], others: [("x", [1, 2])]) == nil)
        let perfect = ErrorAnalysis(predictions: [1, 2], labels: [1, 2])
        #expect(perfect?.errors.isEmpty == true && perfect?.hardestClass == nil && perfect?.share(ofTopPairs: 3) == 0)
    }
}
