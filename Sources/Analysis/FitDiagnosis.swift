/// What a training's accuracy curves say about how it fits: whether it overfits, has begun to,
/// has memorised its training set, or shows no sign of it; and whether it had converged.
///
/// The rules look at the last third of the epochs (at least three), where a training that
/// overfits shows it:
/// - **overfits**: validation accuracy has fallen more than `declineTolerance` below its
///   peak while training accuracy still rose over the window;
/// - **memorises**: training accuracy is at least `memorisedAccuracy` (the training set is
///   fitted all but a few images) and clearly above validation accuracy, which has stopped
///   falling or rising: the network learnt its training images by heart without yet paying for
///   it on new ones;
/// - **starts to overfit**: training accuracy ends above validation accuracy, the gap having
///   widened by at least `widening` over the window (counted from zero if it started
///   negative), while validation gained at most half of what training gained, and the
///   validation loss (when known) has stopped falling: its last value is above the window's
///   lowest. A negative gap closing is not this: early in training the running training
///   accuracy lags behind;
/// - **pulls ahead**: the same widening gap, but the validation loss fell at every epoch of the
///   window: the network still improves on unseen images, and training merely improves faster;
/// - otherwise **no sign of overfitting**.
///
/// Accuracies are fractions; epochs are numbered from 1.
public struct FitDiagnosis: Sendable, Equatable {
    public enum Verdict: String, Sendable, Equatable, CaseIterable {
        case overfits, memorises, startsToOverfit, pullsAhead, noSign
    }

    /// A fall from the validation peak beyond this (30 of 10,000 images) is more than the
    /// epoch-to-epoch wobble of the networks here.
    public static let declineTolerance = 0.003
    /// A widening of the gap by this much over the window counts as training pulling away.
    public static let widening = 0.003
    /// Training accuracy from which the training set counts as memorised (60 of 60,000 wrong).
    public static let memorisedAccuracy = 0.999
    /// The smallest final gap that makes memorisation visible on the validation data.
    public static let memorisedGap = 0.005

    public let epochs: Int
    /// The epochs the rules look at: the last third, at least three (or all, if fewer).
    public let window: ClosedRange<Int>
    public let gapAtWindowStart: Double
    public let finalGap: Double
    public let trainingGain: Double
    public let validationGain: Double
    public let bestValidation: Double
    public let bestEpoch: Int
    /// Best validation accuracy minus the last one.
    public let peakDrop: Double
    public let finalTraining: Double
    public let finalValidation: Double
    /// The lowest and highest validation accuracy within the window.
    public let validationRange: ClosedRange<Double>
    /// The lowest and highest training accuracy within the window.
    public let trainingRange: ClosedRange<Double>
    /// The least-squares slope of validation accuracy per epoch over the window, with its test.
    public let validationSlope: (slope: Double, standardError: Double, p: Double)?
    /// The validation loss over the window, when known.
    public let validationLossWindow: [Double]?
    /// The gap's growth over the window's last epoch alone.
    public let lastEpochGapGrowth: Double
    public let verdict: Verdict

    /// The validation loss fell at every epoch of the window (nil without the loss).
    public var validationLossFalling: Bool? { validationLossWindow.map(Self.fallsEveryStep) }

    /// Each value below the one before it.
    static func fallsEveryStep(_ values: [Double]) -> Bool { zip(values, values.dropFirst()).allSatisfy { $1 < $0 } }

    /// - Parameters:
    ///   - training: training accuracy per epoch; `validation`: validation accuracy per epoch.
    ///   Both must have the same length, at least 2.
    ///   - validationLoss: validation loss per epoch, when known (as many values, or it is ignored).
    public init?(training: [Double], validation: [Double], validationLoss: [Double]? = nil) {
        let n = min(training.count, validation.count)
        guard n >= 2 else { return nil }
        let length = min(n, max(3, (n + 2) / 3))
        let start = n - length + 1
        epochs = n
        window = start...n
        gapAtWindowStart = training[start - 1] - validation[start - 1]
        finalGap = training[n - 1] - validation[n - 1]
        trainingGain = training[n - 1] - training[start - 1]
        validationGain = validation[n - 1] - validation[start - 1]
        let best = validation[0..<n].indices.max { validation[$0] < validation[$1] || (validation[$0] == validation[$1] && $0 > $1) } ?? 0
        bestValidation = validation[best]
        bestEpoch = best + 1
        finalTraining = training[n - 1]
        finalValidation = validation[n - 1]
        peakDrop = bestValidation - finalValidation
        let tail = Array(validation[(start - 1)..<n])
        validationRange = (tail.min() ?? 0)...(tail.max() ?? 0)
        let trainingTail = training[(start - 1)..<n]
        trainingRange = (trainingTail.min() ?? 0)...(trainingTail.max() ?? 0)
        validationLossWindow = validationLoss.flatMap { $0.count >= n ? Array($0[(start - 1)..<n]) : nil }
        lastEpochGapGrowth = finalGap - (training[n - 2] - validation[n - 2])
        validationSlope = Statistics.slope(x: (start...n).map(Double.init), groups: tail.map { Statistics.Summary(count: 1, mean: $0, variance: 0) })

        if peakDrop > Self.declineTolerance, trainingGain > 0 {
            verdict = .overfits
        } else if finalTraining >= Self.memorisedAccuracy, finalGap >= Self.memorisedGap {
            verdict = .memorises
        } else if finalGap > 0, finalGap - max(gapAtWindowStart, 0) >= Self.widening, validationGain <= trainingGain / 2 {
            verdict = validationLossWindow.map(Self.fallsEveryStep) == true ? .pullsAhead : .startsToOverfit
        } else {
            verdict = .noSign
        }
    }

    /// Whether validation accuracy was still rising at the end: its slope over the window is
    /// positive beyond two standard errors.
    public var stillImproving: Bool {
        guard let s = validationSlope else { return bestEpoch == epochs }
        return s.slope - 2 * s.standardError > 0
    }

    /// Converged in the sense that matters here: training accuracy has reached
    /// `memorisedAccuracy` and validation accuracy no longer rises, so more epochs at this
    /// learning rate cannot help.
    public var converged: Bool { finalTraining >= Self.memorisedAccuracy && !stillImproving }

    public static func == (a: FitDiagnosis, b: FitDiagnosis) -> Bool {
        a.epochs == b.epochs && a.window == b.window && a.gapAtWindowStart == b.gapAtWindowStart && a.finalGap == b.finalGap
            && a.trainingGain == b.trainingGain && a.validationGain == b.validationGain && a.bestEpoch == b.bestEpoch
            && a.verdict == b.verdict
    }
}
