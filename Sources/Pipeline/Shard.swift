import Results
import Training
import Assignment

/// One share of a build's trainings, for spreading a build over the machines of a scheduler:
/// shard `index` of `count` (counted from 1), and what chose it.
///
/// The split is deterministic: every process given the same plan computes the same shards,
/// with the same costs, so shards never overlap and never miss a training. It balances the
/// estimated cost (`EpochCosts`, measured in the committed full report): longest training first, each to the shard with the least work so
/// far (ties to the lower shard), which keeps the largest shard within 4/3 of the ideal.
public struct Shard: Equatable, Sendable, CustomStringConvertible {
    public var index: Int
    public var count: Int
    /// What set the shard: `--shard`, a Slurm job array, a Kubernetes Indexed Job.
    public var source: Source

    public enum Source: String, Sendable {
        case flag = "--shard"
        case slurm = "Slurm job array"
        case kubernetes = "Kubernetes Indexed Job"
    }

    /// The most shards a plan is split into.
    public static let maximumCount = 1_000

    public init(index: Int, count: Int, source: Source = .flag) throws {
        guard (1...Self.maximumCount).contains(count) else {
            throw ReportError("a shard count must lie in 1…\(Self.maximumCount), got \(count)")
        }
        guard (1...count).contains(index) else {
            throw ReportError("shard \(index) of \(count) does not exist: shards are counted 1…\(count)")
        }
        (self.index, self.count, self.source) = (index, count, source)
    }

    /// `I/N`, as `--shard` takes it and provenance records it.
    public var description: String { "\(index)/\(count)" }

    /// Parses `--shard I/N`.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        let form = "--shard expects I/N, shard I of N with 1 ≤ I ≤ N ≤ \(Self.maximumCount) (e.g. 2/6)"
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
            throw ReportError("\(form), got \(RawJSON.quote(text))")
        }
        guard (1...Self.maximumCount).contains(count), (1...count).contains(index) else {
            let what = (1...Self.maximumCount).contains(count) ? "shard \(index) of \(count) does not exist: shards are counted 1…\(count)"
                : "\(count) shards: a shard count must lie in 1…\(Self.maximumCount)"
            throw ReportError("\(form), got \(RawJSON.quote(text)): \(what)")
        }
        try self.init(index: index, count: count)
    }

    /// The environment variable that gives the shard count to a Kubernetes Indexed Job
    /// (which tells each pod only its index); `--shards N` overrides it.
    public static let countVariable = "MNIST_REPORT_SHARDS"

    /// The shard of this process: `flag` when given, else the scheduler's, else nil (the whole plan).
    /// - Parameters:
    ///   - shards: `--shards N`, the count for a Kubernetes Indexed Job.
    ///   - environment: the process's environment.
    /// - Throws: `ReportError` on inconsistent or malformed scheduler variables.
    public static func resolve(flag: Shard?, shards: Int?, environment: [String: String]) throws -> Shard? {
        if let flag { return flag }
        if let shards, !(1...maximumCount).contains(shards) {
            throw ReportError("--shards \(shards): a shard count must lie in 1…\(maximumCount) (the completions of the Kubernetes Indexed Job)")
        }
        // A variable set but empty is an error: taken as unset, every task would build the whole plan.
        func number(_ name: String) throws -> Int? {
            guard let text = environment[name] else { return nil }
            let digits = text.trimmingCharacters(in: .whitespaces)
            guard !digits.isEmpty else {
                throw ReportError("$\(name) is set but empty; expected a whole number (the scheduler's index), or unset it, or give --shard I/N")
            }
            guard digits.allSatisfy(\.isASCII), let value = Int(digits) else {
                throw ReportError("$\(name) is \"\(text)\", not a whole number")
            }
            return value
        }
        // An empty task id alone (an exported variable outside any array) means no Slurm array.
        let arrayVariables = ["SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_MAX", "SLURM_ARRAY_TASK_COUNT"]
        let slurmTask = environment["SLURM_ARRAY_TASK_ID"] == "" && !arrayVariables.contains { environment[$0] != nil }
            ? nil : try number("SLURM_ARRAY_TASK_ID")
        if let task = slurmTask {
            guard let minimum = try number("SLURM_ARRAY_TASK_MIN") else {
                throw ReportError("$SLURM_ARRAY_TASK_ID is set but $SLURM_ARRAY_TASK_MIN is not: run inside an sbatch --array job, or give --shard I/N")
            }
            let count = try number("SLURM_ARRAY_TASK_COUNT") ?? number("SLURM_ARRAY_TASK_MAX").map { $0 - minimum + 1 }
            guard let count else {
                throw ReportError("$SLURM_ARRAY_TASK_ID is set but neither $SLURM_ARRAY_TASK_COUNT nor $SLURM_ARRAY_TASK_MAX is")
            }
            if let maximum = try number("SLURM_ARRAY_TASK_MAX"), maximum < minimum {
                throw ReportError("the Slurm array \(minimum)-\(maximum) is empty ($SLURM_ARRAY_TASK_MAX \(maximum) is below $SLURM_ARRAY_TASK_MIN \(minimum)): "
                                  + "submit with --array=1-N, N the number of shards (scripts/slurm/submit does), or give --shard I/N")
            }
            guard (1...maximumCount).contains(count) else {
                throw ReportError("$SLURM_ARRAY_TASK_COUNT is \(count): a Slurm array for a build has 1…\(maximumCount) tasks, one per shard: "
                                  + "submit with --array=1-N, or give --shard I/N")
            }
            if let maximum = try number("SLURM_ARRAY_TASK_MAX"), maximum - minimum + 1 != count {
                throw ReportError("the Slurm array \(minimum)-\(maximum) has \(maximum - minimum + 1) tasks but $SLURM_ARRAY_TASK_COUNT says \(count): use a contiguous array (--array=\(minimum)-\(minimum + count - 1)) or give --shard I/N")
            }
            guard task >= minimum, task - minimum < count else {
                throw ReportError("$SLURM_ARRAY_TASK_ID \(task) lies outside the array \(minimum)…\(minimum + count - 1)")
            }
            return try Shard(index: task - minimum + 1, count: count, source: .slurm)
        }
        if let completion = try number("JOB_COMPLETION_INDEX") {
            guard let count = try shards ?? number(countVariable) else {
                throw ReportError("$JOB_COMPLETION_INDEX is set but the shard count is not: give --shards N or set $\(countVariable) (the Job's completions)")
            }
            guard (1...maximumCount).contains(count) else {
                throw ReportError("$\(countVariable) is \(count): a shard count must lie in 1…\(maximumCount) (the completions of the Kubernetes Indexed Job)")
            }
            guard completion >= 0, completion < count else {
                throw ReportError("$JOB_COMPLETION_INDEX \(completion) lies outside 0…\(count - 1) for \(count) shards")
            }
            return try Shard(index: completion + 1, count: count, source: .kubernetes)
        }
        if let shards { throw ReportError("--shards \(shards) applies to a Kubernetes Indexed Job ($JOB_COMPLETION_INDEX); give --shard I/N otherwise") }
        return nil
    }

    /// The plan's training indices split into `count` shards (index 0 is shard 1), each in plan
    /// order. Trainings with the same inputs (the quick profile's 3.1b and 3.1b-all) stay in one
    /// shard, which trains them once; the groups go, costliest first, to the least loaded shard.
    public static func split(_ plan: ExperimentPlan, count: Int, costs epochCosts: EpochCosts) -> [[Int]] {
        var groups: [[Int]] = [], groupOf: [TrainingSpec: Int] = [:]
        for (index, training) in plan.trainings.enumerated() {
            if let group = groupOf[training.spec] { groups[group].append(index) } else {
                groupOf[training.spec] = groups.count
                groups.append([index])
            }
        }
        let costs = groups.map { epochCosts.cost(plan.trainings[$0[0]]) }
        let order = costs.indices.sorted { costs[$0] != costs[$1] ? costs[$0] > costs[$1] : $0 < $1 }
        var shards = [[Int]](repeating: [], count: count)
        var load = [Double](repeating: 0, count: count)
        for group in order {
            let lightest = load.indices.min { load[$0] != load[$1] ? load[$0] < load[$1] : $0 < $1 }!
            shards[lightest].append(contentsOf: groups[group])
            load[lightest] += costs[group]
        }
        return shards.map { $0.sorted() }
    }

    /// This shard's training indices in `plan`.
    public func trainings(of plan: ExperimentPlan, costs: EpochCosts) -> [Int] {
        Self.split(plan, count: count, costs: costs)[index - 1]
    }
}
