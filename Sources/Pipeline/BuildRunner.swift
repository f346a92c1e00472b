import Results
import Training
import Assignment
import Dispatch
import Files
import Foundation
import NeuralEngine

/// Runs a plan's trainings, taking each from the cache when its key is there, training it
/// otherwise: in this process, or with `jobs` > 1 in parallel child processes that each use
/// their share of the cores and store their result in the same cache.
public final class BuildRunner: @unchecked Sendable {
    public let plan: ExperimentPlan
    public let data: PreparedData
    public let cache: TrainingCache
    public let force: Bool
    public let jobs: Int
    /// Threads per training.
    public let threads: Int
    /// How a child process is started: the executable, and what it needs besides the training
    /// (the profile, the cache, the data folder) as a `ChildJob` to fill in.
    public let childCommand: (executable: String, dataDirectory: String?)?
    /// When set, only this shard's trainings are taken or trained (see `Shard`).
    public let shard: Shard?
    /// What an epoch of each model costs: the shards' weights, the order of the trainings, and
    /// the ETA's pace for a model this build has not timed yet.
    public let costs: EpochCosts
    private let log: @Sendable (String) -> Void
    private let lock = NSLock()
    /// The build's pace, for its ETA: epochs left per training to train, and the seconds each
    /// model's epochs took so far in this build.
    private var epochsLeft: [Int: Int] = [:]
    private var measured: [ModelKind: (seconds: Double, epochs: Int)] = [:]

    public init(plan: ExperimentPlan, data: PreparedData, cache: TrainingCache, force: Bool, jobs: Int, threads: Int,
                shard: Shard? = nil, costs: EpochCosts, childCommand: (executable: String, dataDirectory: String?)?,
                log: @escaping @Sendable (String) -> Void) {
        (self.plan, self.data, self.cache, self.force, self.jobs, self.threads) = (plan, data, cache, force, jobs, threads)
        (self.shard, self.costs, self.childCommand, self.log) = (shard, costs, childCommand, log)
    }

    /// Every training's record (of the shard, when there is one), in plan order.
    public func run() throws -> [TrainingRecord] {
        let selected = Set(shard?.trainings(of: plan, costs: costs) ?? Array(plan.trainings.indices))
        var records = [TrainingRecord?](repeating: nil, count: plan.trainings.count)
        var pending: [Int] = []
        // A training whose key another pending one has (the ablation's 3.1b-all is 3.1b in the
        // quick profile) is that training: trained once, recorded under both names.
        var sameAs: [Int: Int] = [:]
        let inputs = plan.trainings.map {
            TrainingCache.inputs(for: $0, datasetChecksum: data.checksum, profile: plan.profile)
        }
        let keys = inputs.map(TrainingCache.key)
        for (index, training) in plan.trainings.enumerated() where selected.contains(index) {
            let key = keys[index]
            let stored = force ? .missing : cache.lookup(key, labels: data.testLabels)
            if case let .found(record) = stored {
                records[index] = record.labelled(as: training)
                log("[\(index + 1)/\(plan.trainings.count)] \(training.id): from the cache (key \(key.prefix(12)))")
            } else {
                if let first = pending.first(where: { keys[$0] == key }) {
                    sameAs[index] = first
                    log("[\(index + 1)/\(plan.trainings.count)] \(training.id): the same training as \(plan.trainings[first].id) "
                        + "(key \(key.prefix(12))), trained once for both")
                    continue
                }
                var reason = force ? "--force" : cache.reasonForRunning(training: training, inputs: inputs[index])
                if case let .corrupt(problem) = stored { reason = "corrupt: \(problem)" }
                log("[\(index + 1)/\(plan.trainings.count)] \(training.id): training (\(reason))")
                pending.append(index)
                epochsLeft[index] = training.spec.hyperparameters.epochs
            }
        }
        if let first = pending.first {
            // Before the first training, not after it: a result that cannot be stored is lost.
            do {
                try OutputFolder.checkWritable(cache.directory)
            } catch let problem as FileProblem {
                throw ReportError("\(problem.description): \(pending.count) training\(pending.count == 1 ? "" : "s") "
                                  + "(\(plan.trainings[first].id) first) would be stored there; nothing trained: "
                                  + "make the cache writable, or give a writable --cache-dir (cache merge can gather caches later)")
            }
        }
        if jobs <= 1 || pending.count <= 1 || childCommand == nil {
            for index in pending { records[index] = try trainHere(index).labelled(as: plan.trainings[index]) }
        } else {
            try trainInChildren(pending)
            for index in pending {
                guard case .found(var record) = cache.lookup(keys[index], labels: data.testLabels) else {
                    throw ReportError("training \(plan.trainings[index].id) finished without a sound result in \(cache.directory)")
                }
                record.fromCache = false
                records[index] = record.labelled(as: plan.trainings[index])
            }
        }
        for (alias, first) in sameAs { records[alias] = records[first]?.labelled(as: plan.trainings[alias]) }
        for index in selected.sorted() { cache.remember(training: plan.trainings[index], inputs: inputs[index]) }
        return records.compactMap { $0 }
    }

    /// Notes that training `index` ended an epoch of `seconds`.
    private func epochEnded(_ index: Int, seconds: Double) {
        let model = plan.trainings[index].spec.model
        lock.lock()
        epochsLeft[index] = max(0, (epochsLeft[index] ?? 1) - 1)
        let before = measured[model] ?? (0, 0)
        measured[model] = (before.seconds + seconds, before.epochs + 1)
        lock.unlock()
    }

    /// " - build ETA 3m 20s": the epochs left to train, each at its model's seconds per epoch
    /// measured in this build so far; a model not yet timed here at the timed models' pace,
    /// scaled by the models' relative costs (`costs`, measured in an earlier run); over the jobs
    /// that run at once, which the measured seconds already include.
    private func eta() -> String {
        lock.lock()
        let (left, measured) = (epochsLeft, self.measured)
        lock.unlock()
        let timed = measured.reduce((seconds: 0.0, cost: 0.0)) {
            ($0.seconds + $1.value.seconds, $0.cost + costs.perEpoch($1.key) * Double($1.value.epochs))
        }
        guard timed.cost > 0 else { return "" }
        var remaining = 0.0
        var running = 0
        for (index, epochs) in left where epochs > 0 {
            let model = plan.trainings[index].spec.model
            let pace = measured[model].map { $0.seconds / Double($0.epochs) } ?? costs.perEpoch(model) * timed.seconds / timed.cost
            remaining += pace * Double(epochs)
            running += 1
        }
        guard running > 0 else { return "" }
        remaining /= Double(min(jobs, running))
        return " - build ETA \(Self.minutes(remaining))"
    }

    private func trainHere(_ index: Int) throws -> TrainingRecord {
        let training = plan.trainings[index]
        let prefix = "[\(index + 1)/\(plan.trainings.count)] \(training.id)"
        let callbacks = FitCallbacks(epochEnded: { [self] e in
            epochEnded(index, seconds: e.seconds)
            log("\(prefix): \(e.line)\(eta())")
        })
        let record = try TrainingJob(training: training, profile: plan.profile, threads: threads, shard: shard)
            .run(on: data, cache: cache, callbacks: callbacks)
        log("\(prefix): \(Self.tested(record.testAccuracy))")
        return record
    }

    /// Runs `pending` trainings in child processes, `jobs` at a time, forwarding their lines.
    private func trainInChildren(_ pending: [Int]) throws {
        guard let (executable, dataDirectory) = childCommand else { return }
        let slots = DispatchSemaphore(value: jobs)
        let group = DispatchGroup()
        // The longest trainings first, so that the last one to finish is a short one.
        let pending = pending.sorted { costs.cost(plan.trainings[$0]) > costs.cost(plan.trainings[$1]) }
        let failures = NSLock()
        nonisolated(unsafe) var failed: [String] = []
        for index in pending {
            slots.wait()
            let training = plan.trainings[index]
            let prefix = "[\(index + 1)/\(plan.trainings.count)] \(training.id)"
            // The child asks the kernel to end it when this process ends (`ChildJob.parentPid`).
            let job = ChildJob(training: training, profile: plan.profile, cacheDirectory: cache.directory, dataDirectory: dataDirectory,
                               threads: threads, parentPid: ProcessInfo.processInfo.processIdentifier, shard: shard)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = [ChildJob.command, "--job", String(decoding: try JSONEncoder().encode(job), as: UTF8.self)]
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            let reader = LineReader { [self] line in
                guard let event = ChildEvent.decode(line) else { return log("\(prefix): \(line)") }
                if let epoch = event.epoch {
                    epochEnded(index, seconds: epoch.seconds)
                    log("\(prefix): \(epoch.line)\(eta())")
                }
                if let accuracy = event.testAccuracy { log("\(prefix): \(Self.tested(accuracy))") }
            }
            pipe.fileHandleForReading.readabilityHandler = { handle in reader.feed(handle.availableData) }
            group.enter()
            process.terminationHandler = { process in
                pipe.fileHandleForReading.readabilityHandler = nil
                reader.feed(pipe.fileHandleForReading.readDataToEndOfFile())
                reader.flush()
                if process.terminationStatus != 0 {
                    failures.lock()
                    failed.append("\(training.id) (exit \(process.terminationStatus))")
                    failures.unlock()
                }
                slots.signal()
                group.leave()
            }
            do {
                try process.run()
            } catch {
                slots.signal()
                group.leave()
                throw ReportError("cannot start \(executable): \(error.localizedDescription)")
            }
        }
        group.wait()
        if !failed.isEmpty { throw ReportError("trainings failed: \(failed.joined(separator: ", "))") }
    }
}

extension BuildRunner {
    /// Seconds as the build's log words an estimate: "3m 20s".
    public static func minutes(_ seconds: Double) -> String {
        let whole = Int(seconds)
        return "\(whole / 60)m \(whole % 60)s"
    }

    /// A training's last line, in a build run here or in a child alike.
    static func tested(_ accuracy: Double) -> String { "test accuracy \(String(format: "%.4f", accuracy))" }
}

/// Splits a byte stream into lines.
final class LineReader: @unchecked Sendable {
    private var buffer = Data()
    private let lock = NSLock()
    private let emit: (String) -> Void
    init(emit: @escaping (String) -> Void) { self.emit = emit }

    func feed(_ data: Data) {
        lock.lock()
        defer { lock.unlock() }
        buffer.append(data)
        while let newline = buffer.firstIndex(of: 0x0A) {
            let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
            buffer.removeSubrange(buffer.startIndex...newline)
            if !line.isEmpty { emit(line) }
        }
    }

    func flush() {
        lock.lock()
        defer { lock.unlock() }
        if !buffer.isEmpty { emit(String(decoding: buffer, as: UTF8.self)) }
        buffer.removeAll()
    }
}

extension TrainingCache {
    func latestPath(_ training: PlannedTraining, _ profile: Profile) -> String {
        (directory as NSString).appendingPathComponent("latest-\(profile.rawValue)-\(training.id).json")
    }

    /// Why a training is not in the cache: which of its inputs differ from the last time a
    /// training with its id was built, or that it never was.
    func reasonForRunning(training: PlannedTraining, inputs: KeyInputs) -> String {
        guard let data = FileManager.default.contents(atPath: latestPath(training, inputs.profile)),
              let previous = try? JSONDecoder().decode(KeyInputs.self, from: data) else {
            return "not in the cache"
        }
        var changed: [String] = []
        if previous.layers != inputs.layers || previous.model != inputs.model { changed.append("model definition") }
        if previous.optimizer != inputs.optimizer { changed.append("optimizer") }
        if previous.hyperparameters != inputs.hyperparameters { changed.append("hyper-parameters") }
        if previous.seed != inputs.seed { changed.append("seed") }
        if previous.datasetChecksum != inputs.datasetChecksum { changed.append("data set") }
        if previous.engineVersion != inputs.engineVersion { changed.append("engine version") }
        return changed.isEmpty ? "not in the cache" : "changed since the last build: " + changed.joined(separator: ", ")
    }

    /// Notes the inputs of the training last built under this id, for `reasonForRunning`.
    func remember(training: PlannedTraining, inputs: KeyInputs) {
        guard let data = try? JSONEncoder().encode(inputs) else { return }
        try? TrainingCache.writeEntry(data, to: latestPath(training, inputs.profile))
    }
}

extension TrainingRecord {
    /// The record under the plan's names for `training`: one cache entry may serve two trainings
    /// of a plan with the same inputs (3.1b and the ablation's 3.1b-all), and the key ignores
    /// the names, so the stored id, section and sweep position are those of whichever stored it.
    func labelled(as training: PlannedTraining) -> TrainingRecord {
        var record = self
        (record.id, record.section) = (training.id, training.section)
        (record.sweepIndex, record.replicate) = (training.sweepIndex, training.replicate)
        // The model as trained, which the key's inputs hold (the cache's records predate it).
        (record.layers, record.optimizer) = (training.spec.layers, training.spec.optimizer)
        return record
    }
}
