import Assignment
import Training
import Foundation
import MNIST
@testable import Results
import ReportFixtures
@testable import Pipeline
@testable import Rendering
import Testing

@Suite("Shards of a build")
struct ShardTests {
    /// The costs a build of this checkout weighs by: those the committed full report measured.
    static let costs = EpochCosts.load(resultsPath: EpochCostsTests.committedResults)

    @Test(arguments: 1...20)
    func everyTrainingIsInExactlyOneShard(count: Int) {
        for profile in [Profile.full, .quick] {
            let plan = ExperimentPlan(profile: profile)
            let shards = Shard.split(plan, count: count, costs: Self.costs)
            #expect(shards.count == count)
            #expect(shards.flatMap { $0 }.sorted() == Array(plan.trainings.indices))
        }
    }

    /// The quick profile's 3.1b-all is 3.1b (one key): both land in one shard, which trains it once.
    @Test(arguments: 2...8)
    func trainingsWithOneKeyShareAShard(count: Int) throws {
        let plan = ExperimentPlan(profile: .quick)
        let (main, all) = (try #require(plan.trainings.firstIndex { $0.id == "3.1b" }),
                           try #require(plan.trainings.firstIndex { $0.id == "3.1b-all" }))
        #expect(plan.trainings[main].spec == plan.trainings[all].spec)
        #expect(Shard.split(plan, count: count, costs: Self.costs).contains { $0.contains(main) && $0.contains(all) })
    }

    /// No shard holds more than a quarter above its ideal share, or than the largest single
    /// training, which no split can divide (the longest-first rule guarantees the larger bound).
    @Test func theFullPlanInSixShardsIsBalancedWithinAQuarter() {
        let plan = ExperimentPlan(profile: .full)
        let costs = Shard.split(plan, count: 6, costs: Self.costs).map { $0.reduce(0.0) { $0 + Self.costs.cost(plan.trainings[$1]) } }
        let total = plan.trainings.reduce(0.0) { $0 + Self.costs.cost($1) }
        let largest = plan.trainings.map(Self.costs.cost).max()!
        #expect(costs.max()! <= max(1.25 * total / 6, largest), "shard costs \(costs), total \(total)")
        // The notebook's trainings alone (no training dominates) keep the quarter.
        let notebook = ExperimentPlan(profile: .full, sections: [.s2_3, .s2_4, .s3_1])
        let notebookCosts = Shard.split(notebook, count: 6, costs: Self.costs)
            .map { $0.reduce(0.0) { $0 + Self.costs.cost(notebook.trainings[$1]) } }
        let notebookTotal = notebook.trainings.reduce(0.0) { $0 + Self.costs.cost($1) }
        #expect(notebookCosts.max()! <= 1.25 * notebookTotal / 6, "shard costs \(notebookCosts), total \(notebookTotal)")
    }

    @Test func theSplitDependsOnlyOnThePlanAndTheCosts() throws {
        // The same plan and results file read twice (as two processes would) split the same way;
        // the split does not depend on the order of the work, only on costs and plan positions.
        let again = EpochCosts.load(resultsPath: EpochCostsTests.committedResults)
        #expect(again == Self.costs)
        let a = Shard.split(ExperimentPlan(profile: .full, seed: 7), count: 5, costs: Self.costs)
        let b = Shard.split(ExperimentPlan(profile: .full, seed: 7), count: 5, costs: again)
        #expect(a == b)
        #expect(try Shard(index: 2, count: 5).trainings(of: ExperimentPlan(profile: .full, seed: 7), costs: again) == a[1])
    }

    @Test func parsesTheFlag() throws {
        #expect(try Shard(parsing: "2/6") == Shard(index: 2, count: 6))
        for bad in ["0/3", "4/3", "1/0", "x/3", "2", "1/3/4", "-1/3"] {
            #expect(throws: ReportError.self) { try Shard(parsing: bad) }
        }
    }

    @Test func readsASlurmArray() throws {
        let environment = ["SLURM_ARRAY_TASK_ID": "7", "SLURM_ARRAY_TASK_MIN": "5", "SLURM_ARRAY_TASK_MAX": "7",
                           "SLURM_ARRAY_TASK_COUNT": "3"]
        let shard = try #require(try Shard.resolve(flag: nil, shards: nil, environment: environment))
        #expect(shard == (try Shard(index: 3, count: 3, source: .slurm)))
        // Without COUNT, MAX − MIN + 1.
        var noCount = environment
        noCount["SLURM_ARRAY_TASK_COUNT"] = nil
        #expect(try Shard.resolve(flag: nil, shards: nil, environment: noCount)?.count == 3)
    }

    @Test func refusesInconsistentSlurmValues() {
        let cases: [[String: String]] = [
            ["SLURM_ARRAY_TASK_ID": "1"],                                                          // no MIN
            ["SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_MIN": "0"],                             // no COUNT, no MAX
            ["SLURM_ARRAY_TASK_ID": "9", "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_COUNT": "3"], // outside
            ["SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_MAX": "8",
             "SLURM_ARRAY_TASK_COUNT": "3"],                                                       // --array=0,4,8
            ["SLURM_ARRAY_TASK_ID": "two", "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_COUNT": "3"],
        ]
        for environment in cases {
            #expect(throws: ReportError.self, "\(environment)") { try Shard.resolve(flag: nil, shards: nil, environment: environment) }
        }
    }

    /// An empty scheduler variable is named, not taken as unset (every task would build the whole plan).
    @Test func anEmptySchedulerVariableIsNamed() throws {
        let slurm = ["SLURM_ARRAY_TASK_ID": "", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_MAX": "3", "SLURM_ARRAY_TASK_COUNT": "3"]
        #expect(try refusal(nil, slurm).hasPrefix("$SLURM_ARRAY_TASK_ID is set but empty"))
        var emptyMinimum = slurm
        (emptyMinimum["SLURM_ARRAY_TASK_ID"], emptyMinimum["SLURM_ARRAY_TASK_MIN"]) = ("2", "")
        #expect(try refusal(nil, emptyMinimum).hasPrefix("$SLURM_ARRAY_TASK_MIN is set but empty"))
        #expect(try refusal(6, ["JOB_COMPLETION_INDEX": ""]).hasPrefix("$JOB_COMPLETION_INDEX is set but empty"))
        #expect(try refusal(nil, ["JOB_COMPLETION_INDEX": " "]).hasPrefix("$JOB_COMPLETION_INDEX is set but empty"))
        #expect(try refusal(nil, ["JOB_COMPLETION_INDEX": "0x1", Shard.countVariable: "6"]).hasPrefix("$JOB_COMPLETION_INDEX is \"0x1\", not a whole number"))
        // An empty task id outside any array (no MIN, MAX or COUNT) is no array at all.
        #expect(try Shard.resolve(flag: nil, shards: nil, environment: ["SLURM_ARRAY_TASK_ID": ""]) == nil)
    }

    @Test func readsAKubernetesIndexedJob() throws {
        #expect(try Shard.resolve(flag: nil, shards: 6, environment: ["JOB_COMPLETION_INDEX": "0"])
                == Shard(index: 1, count: 6, source: .kubernetes))
        #expect(try Shard.resolve(flag: nil, shards: nil, environment: ["JOB_COMPLETION_INDEX": "5", Shard.countVariable: "6"])?.index == 6)
        #expect(throws: ReportError.self) { try Shard.resolve(flag: nil, shards: nil, environment: ["JOB_COMPLETION_INDEX": "0"]) }
        #expect(throws: ReportError.self) { try Shard.resolve(flag: nil, shards: 6, environment: ["JOB_COMPLETION_INDEX": "6"]) }
    }

    /// The message of a refused shard: what was wrong and how to give it.
    func refusal(_ shards: Int? = nil, _ environment: [String: String] = [:], flag: String? = nil) throws -> String {
        try #require(throws: ReportError.self) {
            try Shard.resolve(flag: try flag.map(Shard.init(parsing:)), shards: shards, environment: environment)
        }.description
    }

    @Test func emptyRangesAndCountsSayWhatIsWrong() throws {
        #expect(try refusal(flag: "-1/3").contains("--shard expects I/N, shard I of N with 1 ≤ I ≤ N ≤ 1000"))
        #expect(try refusal(flag: "1/0").contains("a shard count must lie in 1…1000"))
        let empty = try refusal(nil, ["SLURM_ARRAY_TASK_ID": "5", "SLURM_ARRAY_TASK_MIN": "5", "SLURM_ARRAY_TASK_MAX": "1"])
        #expect(empty.contains("the Slurm array 5-1 is empty") && empty.contains("--array=1-N"), "\(empty)")
        #expect(try refusal(nil, ["SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_COUNT": "0"])
            .contains("$SLURM_ARRAY_TASK_COUNT is 0"))
        #expect(try refusal(0, ["JOB_COMPLETION_INDEX": "0"]) == "--shards 0: a shard count must lie in 1…1000 (the completions of the Kubernetes Indexed Job)")
        #expect(try refusal(nil, ["JOB_COMPLETION_INDEX": "0", Shard.countVariable: "0"]).contains("a shard count must lie in 1…1000"))
    }

    @Test func theFlagWinsAndNoSchedulerMeansTheWholePlan() throws {
        let flag = try Shard(index: 1, count: 2)
        #expect(try Shard.resolve(flag: flag, shards: nil, environment: ["SLURM_ARRAY_TASK_ID": "garbage"]) == flag)
        #expect(try Shard.resolve(flag: nil, shards: nil, environment: [:]) == nil)
        #expect(throws: ReportError.self) { try Shard.resolve(flag: nil, shards: 3, environment: [:]) }
    }
}

@Suite("Merging caches")
struct CacheMergeTests {
    func folder() throws -> String {
        let path = NSTemporaryDirectory() + "cache-merge-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A cache holding the fixture's first `count` trainings, with weights and inputs as a build stores them.
    func cache(_ trainings: Range<Int>, weights: (Int) -> [UInt8] = { [UInt8](repeating: UInt8($0), count: 64) }) throws -> TrainingCache {
        let cache = TrainingCache(directory: try folder())
        let plan = ExperimentPlan(profile: .quick)
        for index in trainings {
            let inputs = TrainingCache.inputs(for: plan.trainings[index], datasetChecksum: "ff", profile: .quick)
            var record = Fixtures.record(plan.trainings[index], accuracy: 0.95)
            record.cacheKey = TrainingCache.key(inputs)
            record.weightsSHA256 = SHA256.hex(of: weights(index))
            try cache.store(record, weights: weights(index), inputs: inputs)
        }
        return cache
    }

    @Test func mergesShardsIntoOneAndIsIdempotent() throws {
        let (a, b) = (try cache(0..<5), try cache(5..<9))
        let merged = TrainingCache(directory: try folder())
        let first = try merged.merge(from: [a, b])
        #expect(first.copied.count == 9 && first.present.isEmpty)
        #expect(try merged.verifiedEntries().count == 9)
        let again = try merged.merge(from: [a, b])
        #expect(again.copied.isEmpty && again.present.count == 9)
    }

    @Test func refusesAlteredWeightsAndCopiesNothing() throws {
        let (a, b) = (try cache(0..<3), try cache(3..<6))
        let victim = try #require(try b.verifiedEntries().first)
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: b.weightsPath(victim.key)))
        let merged = TrainingCache(directory: try folder())
        let error = try #require(throws: ReportError.self) { try merged.merge(from: [a, b]) }
        #expect(error.description.contains("the weights were altered or cut short"), "\(error)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: merged.directory).isEmpty)
    }

    @Test func refusesARecordWhoseInputsDoNotHashToItsKey() throws {
        let a = try cache(0..<2)
        let entry = try #require(try a.verifiedEntries().first)
        try Data("{}".utf8).write(to: URL(fileURLWithPath: a.inputsPath(entry.key)))
        let error = try #require(throws: ReportError.self) { try TrainingCache(directory: try folder()).merge(from: [a]) }
        #expect(error.description.contains("not the entry's key"), "\(error)")
    }

    @Test func refusesTwoEntriesOfOneKeyWithOtherWeights() throws {
        let a = try cache(0..<2)
        let b = try cache(0..<2, weights: { [UInt8](repeating: UInt8($0 + 100), count: 64) })
        let error = try #require(throws: ReportError.self) { try TrainingCache(directory: try folder()).merge(from: [a, b]) }
        #expect(error.description.contains("conflicts"), "\(error)")
        // The engine computes the same bits on every CPU: the message does not blame one.
        #expect(!error.description.contains("CPU or OpenBLAS build?"), "\(error)")
        #expect(error.description.contains("altered or made by a changed engine"), "\(error)")
    }

    /// Many untrusted entries are counted past the first few, not listed in one enormous line.
    @Test func manyBogusEntriesAreCountedNotAllListed() throws {
        let bogus = try folder()
        for i in 0..<40 { try Data("{}".utf8).write(to: URL(fileURLWithPath: bogus + "/bogus-\(i).json")) }
        let error = try #require(throws: ReportError.self) { try TrainingCache(directory: bogus).verifiedEntries() }
        #expect(error.description.hasPrefix("40 entries of \(bogus) cannot be trusted"))
        #expect(error.description.hasSuffix("… and \(40 - TrainingCache.problemsShown) more"), "\(error)")
        #expect(error.description.utf8.count < 4_000)
    }

    /// Several processes storing into one folder at once (shards sharing a network cache):
    /// every entry ends complete and valid, and no temporary file or lock is left.
    @Test func concurrentWritersLeaveOnlyCompleteEntries() throws {
        let shared = TrainingCache(directory: try folder())
        let sources = try (0..<4).map { _ in try cache(0..<6) }   // the same six trainings, four times
        let entries = try sources.map { try $0.verifiedEntries() }
        DispatchQueue.concurrentPerform(iterations: 4) { writer in
            for entry in entries[writer] {
                try? shared.store(entry.record, weights: entry.weights,
                                  inputs: try? JSONDecoder().decode(TrainingCache.KeyInputs.self, from: entry.inputs))
            }
        }
        #expect(try shared.verifiedEntries().count == 6)
        let names = try FileManager.default.contentsOfDirectory(atPath: shared.directory)
        #expect(!names.contains { $0.hasPrefix(".") }, "\(names)")
    }
}

/// The child-job protocol: one Codable type, written by the build and read by `_train-one`.
@Suite("The child job")
struct ChildJobTests {
    @Test func aJobRoundTripsWithEverythingTheChildNeeds() throws {
        let plan = ExperimentPlan(profile: .quick, sections: [.s2_3])
        let job = ChildJob(training: plan.trainings[0], profile: .quick, cacheDirectory: "/tmp/c", dataDirectory: nil, threads: 3,
                           parentPid: 4242, shard: try Shard(index: 2, count: 5))
        let read = try JSONDecoder().decode(ChildJob.self, from: try JSONEncoder().encode(job))
        #expect(read.training == plan.trainings[0] && read.profile == .quick && read.cacheDirectory == "/tmp/c")
        #expect(read.dataDirectory == nil && read.threads == 3 && read.parentPid == 4242)
        #expect(read.trainingJob.shard == "2/5" && read.trainingJob.scheduler == job.scheduler)
    }
}
