import ArgumentParser
import Files
import Foundation
import Report

/// `mnist-report cache …`: the cache of finished trainings.
struct Cache: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Works on caches of finished trainings (merging the caches of a sharded build).",
        subcommands: [Merge.self])

    struct Merge: ParsableCommand {
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
                guard InputFile.kind(source) == "a folder" else {
                    throw CommandError("\(source): \(InputFile.kind(source).map { "is \($0), not a cache folder" } ?? "no such cache folder")")
                }
            }
            try OutputFolder.prepare(destination, option: "dest")
            let summary = try TrainingCache(directory: destination).merge(from: sources.map(TrainingCache.init(directory:)))
            say("Merged \(sources.count) cache folder\(sources.count == 1 ? "" : "s") into \(destination): "
                + "\(summary.copied.count) entries copied, \(summary.present.count) already there (every entry verified)")
        }
    }
}
