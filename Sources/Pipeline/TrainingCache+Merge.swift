import Architecture
import Results
import Training
import Files
import Foundation
import MNIST

/// Merging caches: a cache folder is content-addressed (an entry's name is the SHA-256 of what
/// determines the training), so the caches of a sharded build's machines merge by copying their
/// entries together. Every entry is verified first and nothing is copied unless all are sound.
extension TrainingCache {
    /// One training stored in a cache folder.
    public struct Entry: Sendable {
        public var key: String
        public var folder: String
        public var record: TrainingRecord
        public var weights: [UInt8]
        public var inputs: Data
    }

    /// What a merge did.
    public struct MergeSummary: Sendable, Equatable {
        /// Entries copied in.
        public var copied: [String] = []
        /// Entries that `self` held already, identical.
        public var present: [String] = []
    }

    /// The entries of the cache folder, each verified: its record readable and valid, named by
    /// its own key, its inputs hashing to that key, its weights hashing to the record's digest.
    /// - Throws: `ReportError` listing every entry that fails, by file and reason.
    /// - Parameter consequence: what the failure means, after "cannot be trusted" ("nothing was merged").
    public func verifiedEntries(consequence: String = "nothing was merged") throws -> [Entry] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        } catch {
            throw ReportError("\(directory): cannot list the cache folder (\(FileProblem.describe(error)))")
        }
        var entries: [Entry] = []
        var problems: [String] = []
        for name in names where name.hasSuffix(".json") && !name.hasSuffix(".inputs.json") && !name.hasPrefix("latest-") {
            let key = String(name.dropLast(".json".count))
            do {
                entries.append(try entry(key))
            } catch {
                problems.append((error as? ReportError)?.description ?? FileProblem.describe(error))
            }
        }
        if !problems.isEmpty {
            let shown = problems.prefix(Self.problemsShown)
            let rest = problems.count > shown.count ? "\n  … and \(problems.count - shown.count) more" : ""
            throw ReportError("\(problems.count) entr\(problems.count == 1 ? "y" : "ies") of \(directory) cannot be trusted, \(consequence):\n  "
                              + shown.joined(separator: "\n  ") + rest)
        }
        return entries
    }

    /// The most untrusted entries a refusal lists one by one; the others are counted.
    static let problemsShown = 10

    /// The entry stored under `key`, verified.
    func entry(_ key: String) throws -> Entry {
        let path = recordPath(key)
        guard key.count == 64, key.allSatisfy(\.isHexDigit) else {
            throw ReportError("\(path): not a cache entry (its name is not a SHA-256 key)")
        }
        let record: TrainingRecord
        let text = try InputFile.read(path, limit: ResultsDocument.maximumFileSize)
        do {
            record = try JSONDecoder().decode(TrainingRecord.self, from: Data(text))
        } catch {
            throw ReportError("\(path): \(JSONExplanation.explain(error, data: Data(text), fields: .results))")
        }
        if let duplicate = DuplicateKeys.first(in: text) { throw ReportError("\(path): \(duplicate)") }
        var checks = ValueChecks()
        checks.training(record, at: "record")
        if let first = checks.problems.first { throw ReportError("\(path): \(first)") }
        guard record.cacheKey == key else { throw ReportError("\(path): the record's cache_key is \(record.cacheKey), not its file's name") }
        let inputs: [UInt8]
        do {
            inputs = try InputFile.read(inputsPath(key), limit: 1 << 20, what: "a cache entry's inputs")
        } catch let problem as FileProblem {
            throw ReportError("\(problem.path): \(problem.problem) (an entry needs the inputs its key hashes; caches written before they were stored cannot be merged: rebuild that shard)")
        }
        guard SHA256.hex(of: inputs) == key else {
            throw ReportError("\(inputsPath(key)): its SHA-256 is \(SHA256.hex(of: inputs)), not the entry's key: the entry was altered")
        }
        let weights = try InputFile.read(weightsPath(key), limit: 1 << 30, what: "a cache entry's weights")
        guard SHA256.hex(of: weights) == record.weightsSHA256 else {
            throw ReportError("\(weightsPath(key)): its SHA-256 is \(SHA256.hex(of: weights)), but the record says \(record.weightsSHA256): the weights were altered or cut short")
        }
        return Entry(key: key, folder: directory, record: record, weights: weights, inputs: Data(inputs))
    }

    /// Copies every entry of `sources` into this cache, after verifying all of them: an entry
    /// that fails its checks, or that has the same key as another but other weights (the same
    /// inputs cannot give two results), stops the merge before anything is copied.
    public func merge(from sources: [TrainingCache]) throws -> MergeSummary {
        var chosen: [String: Entry] = [:]
        for entry in try ([self] + sources).filter({ FileManager.default.fileExists(atPath: $0.directory) }).flatMap({ try $0.verifiedEntries() }) {
            if let other = chosen[entry.key] {
                guard other.record.weightsSHA256 == entry.record.weightsSHA256 else {
                    throw ReportError("""
                        \(entry.key.prefix(12))… (\(entry.record.id)) conflicts: \(other.folder) holds weights \(other.record.weightsSHA256.prefix(12))…, \
                        \(entry.folder) holds \(entry.record.weightsSHA256.prefix(12))…; the same inputs must give the same weights \
                        on every CPU (since engine 3), so one entry was altered or made by a changed engine that kept its version; \
                        nothing was merged
                        """)
                }
                continue
            }
            chosen[entry.key] = entry
        }
        var summary = MergeSummary()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for key in chosen.keys.sorted() {
            let entry = chosen[key]!
            if entry.folder == directory { summary.present.append(key); continue }
            var info = stat()
            if lstat(recordPath(key), &info) == 0, (info.st_mode & S_IFMT) == S_IFREG { summary.present.append(key); continue }
            // Weights, inputs, then the record: a reader sees a complete entry or none.
            try Self.writeEntry(entry.weights, to: weightsPath(key))
            try Self.writeEntry(entry.inputs, to: inputsPath(key))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try Self.writeEntry(try encoder.encode(entry.record), to: recordPath(key))
            summary.copied.append(key)
        }
        return summary
    }
}
