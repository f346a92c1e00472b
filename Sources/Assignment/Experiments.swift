import Architecture

/// How much of the notebook a build reproduces.
public enum Profile: String, Codable, CaseIterable, Sendable {
    /// The notebook's exact settings (its 18 trainings, 40 epochs for the larger models) and
    /// the trainings beyond it, the ablation with its replicates.
    case full
    /// The same trainings with a few epochs each: minutes, for CI. Its numbers are not the notebook's.
    case quick

    /// Trainings of each of `experiment`'s variants in this profile.
    public func variantReplicates(_ experiment: Experiment) -> Int { self == .full ? experiment.variantReplicates : 1 }

    /// Epochs per training of `experiment` in this profile.
    func epochs(_ experiment: Experiment, sweep: Bool = false) -> Int {
        switch self {
        case .full: return experiment.model.defaults.epochs
        case .quick: return sweep ? experiment.sweep?.quickEpochs ?? experiment.quickEpochs : experiment.quickEpochs
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
        // Whole numbers are decimal digits only (no "0x10", "1e3", "+5"); a rate is written in
        // decimal, with an exponent if wanted, never as a hexadecimal float.
        let allowed: Set<Character> = key == .learningRate ? Set("0123456789.eE-+") : Set("0123456789")
        guard !parts[1].isEmpty, parts[1].allSatisfy(allowed.contains),
              let value = Double(parts[1]), range.contains(value), key == .learningRate || value.rounded() == value else {
            throw PlanError("--set \(parts[0]): expected \(expected)\(key == .learningRate ? "" : " in decimal digits"), got \"\(parts[1])\"")
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

/// A section of the report that runs trainings (`2.3`, `2.4`, `3.1`): the id of one of the
/// catalogue's experiments.
public struct Section: CatalogueName, Hashable, Sendable, CustomStringConvertible {
    public static let kind = "a section that trains"
    public let rawValue: String

    /// Nil for an id the catalogue does not define.
    public init?(rawValue: String) {
        guard Catalogue.experiment(rawValue) != nil else { return nil }
        self.rawValue = rawValue
    }

    init(_ id: String) { rawValue = id }

    public static var allCases: [Section] { Catalogue.experiments.map(\.section) }
    /// The sections the report reads by name, so that a mistyped one does not compile.
    public static let s2_3 = Section("2.3"), s2_4 = Section("2.4"), s3_1 = Section("3.1"), s3_1b = Section("3.1b")

    public var experiment: Experiment { Catalogue.experiment(rawValue)! }
    public var description: String { rawValue }
}

/// The trainings of a build.
public struct ExperimentPlan: Sendable {
    public var profile: Profile
    public var seed: UInt64
    public var overrides: [Override]
    public var sections: [Section]
    public var trainings: [PlannedTraining]

    /// The trainings for `sections` (all by default), in the catalogue's order: each
    /// experiment's single training (id = the section), then its sweep, if it has one (each
    /// factor × replicate, `2.4-sweep-2-r3`). Replicate r of factor i gets a seed mixed from the
    /// base seed, i and r (`replicateSeed`), so every training has its own stream, different base
    /// seeds share none, and the plan is the same on every machine.
    public init(profile: Profile, seed: UInt64 = 1, overrides: [Override] = [], sections: [Section] = Section.allCases) {
        (self.profile, self.seed, self.overrides, self.sections) = (profile, seed, overrides, sections)
        var plan: [PlannedTraining] = []
        for experiment in Catalogue.experiments where sections.contains(experiment.section) {
            func spec(l2: Float? = nil, sweep: Bool = false, seed: UInt64) -> TrainingSpec {
                var h = experiment.model.defaults
                h.epochs = profile.epochs(experiment, sweep: sweep)
                if let l2 { h.l2 = l2 }
                for o in overrides { o.apply(to: &h) }
                return TrainingSpec(model: ModelKind(experiment.model), hyperparameters: h, seed: seed)
            }
            plan.append(PlannedTraining(id: experiment.id, section: experiment.id, spec: spec(seed: seed)))
            for r in 0..<profile.variantReplicates(experiment) {
                for variant in experiment.variants {
                    var h = variant.model.defaults
                    h.epochs = profile == .full ? variant.epochs : variant.quickEpochs
                    for o in overrides { o.apply(to: &h) }
                    let variantSeed = r == 0 ? seed : Self.variantSeed(base: seed, replicate: r)
                    plan.append(PlannedTraining(id: experiment.trainingID(variant, replicate: r), section: experiment.id,
                                                spec: TrainingSpec(model: ModelKind(variant.model), hyperparameters: h, seed: variantSeed)))
                }
            }
            guard let sweep = experiment.sweep else { continue }
            for (i, factor) in sweep.factors.enumerated() {
                for r in 0..<sweep.replicates {
                    plan.append(PlannedTraining(
                        id: "\(experiment.id)-sweep-\(i + 1)-r\(r + 1)", section: experiment.id,
                        spec: spec(l2: factor, sweep: true, seed: Self.replicateSeed(base: seed, factor: i, replicate: r)),
                        sweepIndex: i, replicate: r))
                }
            }
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

    /// The full profile's plan from the default seed, built once: the trainings every id of a
    /// results file is checked against.
    public static let full = ExperimentPlan(profile: .full)

    /// The seed of an ablation's replicate `replicate` (from 1; replicate 0 trains from the base
    /// seed itself), shared by every variant of that replicate so that the rows differ only in
    /// their ingredient. Packed apart from `replicateSeed`'s inputs by its own constant.
    public static func variantSeed(base: UInt64, replicate: Int) -> UInt64 {
        var generator = SeededGenerator(seed: base &* 1_000_003 &+ UInt64(replicate) &* 7919 &+ 0xAB1A7E)
        return generator.next()
    }

    /// The total number of epochs, for progress and ETA.
    public var totalEpochs: Int { trainings.reduce(0) { $0 + $1.spec.hyperparameters.epochs } }
}
