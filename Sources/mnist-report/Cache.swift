import ArgumentParser
import Files
import Assignment
import Training
import Foundation
import MNIST
import Results
import Pipeline
import Rendering

/// `mnist-report cache …`: the cache of finished trainings.
struct Cache: ParsableCommand, ConsoleCommand {
    static let configuration = CommandConfiguration(
        abstract: "Works on caches of finished trainings (merging the caches of a sharded build).",
        subcommands: [Merge.self, Verify.self, Keys.self])

    struct Merge: ParsableCommand, ConsoleCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copies the verified trainings of cache folders into one.",
            discussion: """
                After `build --shard I/N` on several machines, each with its own --cache-dir, this \
                gathers their trainings into DEST; `build --cache-dir DEST` then renders the full \
                report with nothing left to train. Every entry is checked first: its record valid \
                and named by its key, the inputs it stores hashing to that key, its weights hashing \
                to the record's digest; two entries with one key must hold the same weights. If any \
                entry fails, nothing is copied and each failure is named. DEST may already hold \
                entries (they are checked too); several merges or builds may write into one folder \
                at once: entries are written atomically and no lock file is used.

                Example:
                  mnist-report cache merge .cache/trainings shard-1 shard-2 shard-3
                """)

        @Argument(help: ArgumentHelp("The cache folder to merge into (created when missing).", valueName: "dest"))
        var destination: String

        @Argument(help: ArgumentHelp("The cache folders to merge from.", valueName: "source"))
        var sources: [String]

        func validate() throws {
            guard !sources.isEmpty else { throw ValidationError("give at least one cache folder to merge from") }
        }

        func run() throws {
            for source in sources {
                guard InputFile.kind(source) == .directory else {
                    throw CommandError("\(source): \(InputFile.kind(source).map { "is \($0.phrase), not a cache folder" } ?? FileProblem.whyMissing(source, what: "cache folder"))")
                }
            }
            try OutputFolder.prepare(destination, option: "dest")
            let summary = try TrainingCache(directory: destination).merge(from: sources.map(TrainingCache.init(directory:)))
            if summary.copied.isEmpty && summary.present.isEmpty {
                throw CommandError("nothing to merge: \(sources.joined(separator: ", ")) hold\(sources.count == 1 ? "s" : "") no cache entries "
                                   + "(a cache folder holds KEY.json, KEY.inputs.json and KEY.safetensors files; give the --cache-dir of each shard)")
            }
            say("Merged \(sources.count) cache folder\(sources.count == 1 ? "" : "s") into \(destination): "
                + "\(summary.copied.count) entries copied, \(summary.present.count) already there (every entry verified)")
        }
    }

    struct Verify: ParsableCommand, ConsoleCommand {
        static let configuration = CommandConfiguration(
            abstract: "Checks every entry of a cache folder as build and cache merge do, and changes nothing.",
            discussion: """
                Each entry's record must be valid and named by its key, the inputs it stores must hash \
                to that key, its weights to the record's digest. Exits 1 naming every entry that \
                fails (a build would retrain it), 0 when all are sound.
                """)

        @Argument(help: ArgumentHelp("The cache folder.", valueName: "dir"))
        var directory: String = ".cache/trainings"

        func run() throws {
            guard InputFile.kind(directory) == .directory else {
                throw CommandError("\(directory): \(InputFile.kind(directory).map { "is \($0.phrase), not a cache folder" } ?? FileProblem.whyMissing(directory, what: "cache folder"))")
            }
            let entries = try TrainingCache(directory: directory).verifiedEntries(consequence: "a build retrains what fails")
            say("\(directory): \(entries.count) entr\(entries.count == 1 ? "y" : "ies"), every one verified")
        }
    }

    struct Keys: ParsableCommand, ConsoleCommand {
        static let configuration = CommandConfiguration(
            abstract: "Prints the cache key of every training of a plan, and their digest.",
            discussion: """
                A training's key is the SHA-256 of everything that determines its numbers (model, \
                optimiser, hyper-parameters, seed, data set, engine version, profile; not the CPU nor \
                the thread count, which change no bit), so the digest of a plan's keys changes exactly when some training would \
                have to run again: a CI cache keyed by it is reused whenever nothing changed. Give \
                the options the build will get.

                Example (GitHub Actions):
                  echo "key=trainings-$(mnist-report cache keys --profile full --digest)" >> "$GITHUB_OUTPUT"
                """)

        @Option(help: "full or quick.")
        var profile: Profile = .full

        @Option(help: "The build's base seed.")
        var seed: UInt64 = 1

        @Option(name: .customLong("set"), help: ArgumentHelp("The build's overrides (key=value, repeatable).", valueName: "key=value"))
        var overrides: [String] = []

        @Option(help: "Accepted for older scripts; since engine 3 the thread count is not part of a key.")
        var jobs: Int = 1

        @Flag(help: "Print only the digest of the plan's keys.")
        var digest = false

        @OptionGroup var machine: MachineOptions

        func validate() throws {
            try Bounds.check("--jobs", jobs, within: Bounds.threads)
        }

        func run() throws {
            let overrides = try self.overrides.map { text in
                do { return try Override(parsing: text) } catch let error as PlanError { throw ValidationError(error.description) }
            }
            let plan = ExperimentPlan(profile: profile, seed: seed, overrides: overrides)
            let checksum = try machine.prepare().checksum
            let keys = plan.trainings.map {
                TrainingCache.key(TrainingCache.inputs(for: $0, datasetChecksum: checksum, profile: profile))
            }
            let combined = SHA256.hex(of: Array(keys.joined(separator: "\n").utf8))
            if !digest {
                for (training, key) in zip(plan.trainings, keys) { say("\(key)  \(training.id)") }
            }
            say(combined)
        }
    }
}
