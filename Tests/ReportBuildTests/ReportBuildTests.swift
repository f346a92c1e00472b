import Assignment
import Foundation
import Pipeline
import ReportBuild
import ReportFixtures
import Results
import Testing

/// A report end to end, as `build` and `render` run it: one short training of section 2.3.
@Suite("A report built and rendered")
struct ReportBuildTests {
    /// Collects what a build says.
    final class Log: @unchecked Sendable {
        private let lock = NSLock()
        private var storage: [String] = []
        var lines: [String] { lock.withLock { storage } }
        func append(_ line: String) { lock.withLock { storage.append(line) } }
    }

    /// Section 2.3 in one epoch, into `folder`'s reports and cache.
    static func build(in folder: String, shard: Shard? = nil) -> ReportBuild {
        let plan = ExperimentPlan(profile: .quick, overrides: [try! Override(parsing: "epochs=1")], sections: [.s2_3])
        return ReportBuild(plan: plan, name: "t", reportsDirectory: folder + "/reports", templatesDirectory: Fixtures.templatesDirectory,
                           cacheDirectory: folder + "/cache", dataDirectory: nil, jobs: 1, threadsPerJob: 2, force: false,
                           shard: shard, baseline: nil, baselinePath: "reports/latest/results.json", childExecutable: "/nonexistent")
    }

    /// One training in all (a debug build trains slowly): a shard trains it into the cache, and
    /// the build takes it from there.
    @Test func aShardFillsTheCacheThenTheBuildWritesTheReportFromItAndRenderReproducesIt() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let shard = Log()
        try Self.build(in: folder, shard: try Shard(parsing: "1/1")).run(log: shard.append)
        #expect(shard.lines.first?.hasPrefix("Shard 1/1 (set by --shard): 1 of 1 trainings") == true, "\(shard.lines)")
        #expect(shard.lines.last?.contains("Merge the shards' caches with `mnist-report cache merge`, then build.") == true)
        #expect(!FileManager.default.fileExists(atPath: folder + "/reports/t"))
        let entries = try TrainingCache(directory: folder + "/cache").verifiedEntries()
        #expect(entries.map(\.record.id) == ["2.3"])

        let build = Log()
        try Self.build(in: folder).run(log: build.append)
        #expect(build.lines.first == "Build \"t\": profile quick, 1 training, 1 epoch, 1 job × 2 threads")
        #expect(build.lines.contains { $0.contains("2.3: from the cache") }, "\(build.lines)")
        #expect(build.lines.last?.hasPrefix("Wrote \(folder)/reports/t/index.html (1 training: 1 from the cache, 0 trained)") == true)
        let results = try ResultsDocument.read(path: folder + "/reports/t/results.json")
        #expect(results.trainings.map(\.id) == ["2.3"] && results.testSet != nil)
        #expect(results.trainings[0].weightsSHA256 == entries[0].record.weightsSHA256)
        let page = try String(contentsOfFile: folder + "/reports/t/index.html", encoding: .utf8)
        #expect(page.contains(NumberFormat.accuracy(results.trainings[0].testAccuracy)))

        // Rendered again from its results alone, the page is the one the build wrote.
        let built = try Data(contentsOf: URL(fileURLWithPath: folder + "/reports/t/index.html"))
        let rendered = Log()
        try ReportRender(folder: folder + "/reports/t", templatesDirectory: Fixtures.templatesDirectory, dataDirectory: nil)
            .run(log: rendered.append)
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/reports/t/index.html")) == built)
        #expect(rendered.lines.count == 1 && rendered.lines[0].hasPrefix("Re-rendered \(folder)/reports/t/index.html in "))
    }

    @Test func renderRefusesWhatIsNotAReportFolderAndChangesNothing() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data("notes".utf8).write(to: URL(fileURLWithPath: folder + "/notes.txt"))
        let render = { (path: String) in
            try ReportRender(folder: path, templatesDirectory: Fixtures.templatesDirectory, dataDirectory: nil).run(log: { _ in })
        }
        let file = try #require(throws: ReportError.self) { try render(folder + "/notes.txt") }
        #expect(file.description == "\(folder)/notes.txt is a regular file, not a report folder; give the folder that holds results.json")
        #expect(throws: (any Error).self) { try render(folder) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["notes.txt"])
        // A results.json beside the user's own page and notes does not make the folder a report.
        let site = folder + "/site"
        try FileManager.default.createDirectory(atPath: site, withIntermediateDirectories: false)
        let files = ["comparison.md": Data("my notes".utf8), "index.html": Data("<p>my page</p>".utf8),
                     "results.json": try Fixtures.results().encoded()]
        for (name, data) in files { try data.write(to: URL(fileURLWithPath: site + "/" + name)) }
        let refused = try #require(throws: ReportError.self) { try render(site) }
        #expect(refused.description.contains("no .mnist-report marker"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: site).sorted() == files.keys.sorted())
        for (name, data) in files { #expect(try Data(contentsOf: URL(fileURLWithPath: site + "/" + name)) == data) }
        // A results file alone that does not read: refused, and the folder still holds it alone.
        let alone = folder + "/alone"
        try FileManager.default.createDirectory(atPath: alone, withIntermediateDirectories: false)
        try Data("{\"schema_version\": 3}".utf8).write(to: URL(fileURLWithPath: alone + "/results.json"))
        #expect(throws: (any Error).self) { try render(alone) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: alone) == ["results.json"])
    }
}
