import NeuralEngine

/// How much of the notebook a build reproduces.
public enum Profile: String, Codable, CaseIterable, Sendable {
    /// The notebook's exact settings: 18 trainings, 40 epochs for the larger models.
    case full
    /// The same trainings with a few epochs each: minutes, for CI. Its numbers are not the notebook's.
    case quick

    /// Epochs per model in this profile.
    func epochs(_ model: ModelKind, sweep: Bool = false) -> Int {
        switch self {
        case .full: return model.defaults.epochs
        case .quick:
            switch model {
            case .mlp64: return 3
            case .mlp500: return sweep ? 2 : 3
            case .lenet5: return 2
            }
        }
    }
}

/// One training of the report: its id, its section, and everything that determines it.
public struct PlannedTraining: Codable, Hashable, Sendable {
    /// A stable name (`2.3`, `2.4`, `2.4-sweep-l2=0.00025075-r2`, `3.1`).
    public var id: String
    public var section: String
    public var spec: TrainingSpec
    /// For sweep points: the factor's index and the replicate's index.
    public var sweepIndex: Int?
    public var replicate: Int?

    public var isSweep: Bool { sweepIndex != nil }
}

/// A hyper-parameter override given as `key=value` (`epochs=5`, `learning-rate=0.01`).
public struct Override: Codable, Hashable, Sendable, CustomStringConvertible {
    public enum Key: String, Codable, CaseIterable, Sendable {
        case epochs, batchSize = "batch-size", learningRate = "learning-rate"
    }
    public var key: Key
    public var value: Double

    /// Parses `key=value`, with a message naming what is wrong.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw PlanError("--set expects key=value, got \"\(text)\"") }
        guard let key = Key(rawValue: parts[0]) else {
            throw PlanError("--set: unknown key \"\(parts[0])\"; known keys: \(Key.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let range: ClosedRange<Double> = switch key {
        case .epochs: Double(Hyperparameters.epochRange.lowerBound)...Double(Hyperparameters.epochRange.upperBound)
        case .batchSize: Double(Hyperparameters.batchSizeRange.lowerBound)...Double(Hyperparameters.batchSizeRange.upperBound)
        case .learningRate: Hyperparameters.learningRateRange
        }
        let expected = key == .learningRate
            ? "a number from \(range.lowerBound) to \(range.upperBound)"
            : "a whole number from \(Int(range.lowerBound)) to \(Int(range.upperBound))"
        guard let value = Double(parts[1]), range.contains(value), key == .learningRate || value.rounded() == value else {
            throw PlanError("--set \(parts[0]): expected \(expected), got \"\(parts[1])\"")
        }
        (self.key, self.value) = (key, value)
    }

    public var description: String { "\(key.rawValue)=\(key == .learningRate ? String(value) : String(Int(value)))" }

    func apply(to h: inout Hyperparameters) {
        switch key {
        case .epochs: h.epochs = Int(value)
        case .batchSize: h.batchSize = Int(value)
        case .learningRate: h.learningRate = Float(value)
        }
    }
}

/// A message for a bad plan request.
public struct PlanError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The report's sections that run trainings.
public enum Section: String, CaseIterable, Codable, Sendable {
    case mlp64 = "2.3", mlp500 = "2.4", lenet5 = "3.1"
}

/// The trainings of a build.
public struct ExperimentPlan: Sendable {
    public var profile: Profile
    public var seed: UInt64
    public var overrides: [Override]
    public var sections: [Section]
    public var trainings: [PlannedTraining]

    /// The trainings for `sections` (all by default): 2.3; 2.4's single run and its sweep
    /// (5 factors × 3 replicates); 3.1. Replicate r of factor i gets a seed mixed from the base
    /// seed, i and r (`replicateSeed`), so every training has its own stream, different base
    /// seeds share none, and the plan is the same on every machine.
    public init(profile: Profile, seed: UInt64 = 1, overrides: [Override] = [], sections: [Section] = Section.allCases) {
        (self.profile, self.seed, self.overrides, self.sections) = (profile, seed, overrides, sections)
        func spec(_ model: ModelKind, l2: Float? = nil, sweep: Bool = false, seed: UInt64) -> TrainingSpec {
            var h = model.defaults
            h.epochs = profile.epochs(model, sweep: sweep)
            if let l2 { h.l2 = l2 }
            for o in overrides { o.apply(to: &h) }
            return TrainingSpec(model: model, hyperparameters: h, seed: seed)
        }
        var plan: [PlannedTraining] = []
        if sections.contains(.mlp64) {
            plan.append(PlannedTraining(id: "2.3", section: "2.3", spec: spec(.mlp64, seed: seed)))
        }
        if sections.contains(.mlp500) {
            plan.append(PlannedTraining(id: "2.4", section: "2.4", spec: spec(.mlp500, seed: seed)))
            for (i, factor) in Notebook.sweepFactors.enumerated() {
                for r in 0..<Notebook.sweepReplicates {
                    plan.append(PlannedTraining(
                        id: "2.4-sweep-\(i + 1)-r\(r + 1)", section: "2.4",
                        spec: spec(.mlp500, l2: factor, sweep: true, seed: Self.replicateSeed(base: seed, factor: i, replicate: r)),
                        sweepIndex: i, replicate: r))
                }
            }
        }
        if sections.contains(.lenet5) {
            plan.append(PlannedTraining(id: "3.1", section: "3.1", spec: spec(.lenet5, seed: seed)))
        }
        trainings = plan
    }

    /// The seed of replicate `replicate` of sweep factor `factor`: the first output of a generator
    /// seeded with the three numbers packed together (distinct packings for every base seed and
    /// the sweep's small indices, then mixed by SplitMix64 and xoshiro).
    public static func replicateSeed(base: UInt64, factor: Int, replicate: Int) -> UInt64 {
        var generator = SeededGenerator(seed: base &* 1_000_003 &+ UInt64(factor) &* 1009 &+ UInt64(replicate) &+ 0x5EED)
        return generator.next()
    }

    /// The total number of epochs, for progress and ETA.
    public var totalEpochs: Int { trainings.reduce(0) { $0 + $1.spec.hyperparameters.epochs } }
}
