import Assignment
import Training
import Foundation
import MNIST
import NeuralEngine
import Testing
@testable import Results
import ReportFixtures
@testable import Pipeline
@testable import Rendering

@Suite("Report rendering")
struct ReportRenderingTests {
    @Test func theProjectsTemplatesRenderAFixtureRunWithEverySection() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let templates = try StrictTemplates(directory: Fixtures.templatesDirectory)
        let writer = ReportWriter(templates: templates)
        let target = folder + "/report"
        try writer.write(Fixtures.results(cpu: "<script>alert(1)</script> & Co"), to: target)
        let html = try String(contentsOfFile: target + "/index.html", encoding: .utf8)
        for anchor in ["s1-1", "s2-1", "s2-2", "s2-3", "s2-4", "s3-1", "s3-2"] {
            #expect(html.contains("id=\"\(anchor)\""), "section \(anchor)")
        }
        // Untrusted strings are escaped; our own SVG is inlined.
        #expect(!html.contains("<script>alert(1)</script>"))
        #expect(html.contains("&lt;script&gt;"))
        #expect(html.contains("<svg"))
        #expect(html.contains("<math"))
        #expect(!html.contains("{{"))
        // Figures sit beside the page as SVG and PNG, with the results.
        let files = try FileManager.default.contentsOfDirectory(atPath: target)
        #expect(files.contains("results.json"))
        #expect(files.contains("fig-2-4-sweep.png") && files.contains("fig-2-4-sweep.svg"))
        let reread = try ResultsDocument.read(path: target + "/results.json")
        #expect(reread.trainings.count == ExperimentPlan(profile: .quick).trainings.count)
    }

    @Test func aPlaceholderWithoutValueFailsWithItsName() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "<p>{{s23.notebook_accuracy}} and {{s23.no_such_number}}</p>".write(toFile: folder + "/index.mustache", atomically: true, encoding: .utf8)
        let templates = try StrictTemplates(directory: folder)
        let context = ReportViewModel.make(Fixtures.results(), figures: [], svgs: [:], labels: Fixtures.testSplit.labels)
        let error = try #require(throws: ReportError.self) { try templates.render("index", context) }
        #expect(error.description.contains("s23.no_such_number"))
    }

    @Test func sectionsAndPartialsAreCheckedInTheirContext() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "{{#rows}}<td>{{name}}</td>{{/rows}}{{^missing}}none{{/missing}}{{> part}}".write(toFile: folder + "/index.mustache", atomically: true, encoding: .utf8)
        try "{{#flag}}{{inner}}{{/flag}}{{#off}}{{not_checked}}{{/off}}".write(toFile: folder + "/part.mustache", atomically: true, encoding: .utf8)
        let templates = try StrictTemplates(directory: folder)
        let good: TemplateValue = ["rows": [["name": "a"], ["name": "b"]], "flag": true, "inner": "x", "off": false]
        #expect(try templates.render("index", good) == "<td>a</td><td>b</td>nonex")
        let bad: TemplateValue = ["rows": [["label": "a"]], "flag": true, "inner": "x", "off": false]
        let error = try #require(throws: ReportError.self) { try templates.render("index", bad) }
        #expect(error.description.contains("\"name\""))
    }

    @Test func aRunWithoutSomeSectionsStillRenders() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let templates = try StrictTemplates(directory: Fixtures.templatesDirectory)
        try ReportWriter(templates: templates)
            .write(Fixtures.results(sections: [.s2_3]), to: folder + "/r")
        let html = try String(contentsOfFile: folder + "/r/index.html", encoding: .utf8)
        #expect(html.contains("id=\"s2-3\""))
    }

    @Test func resultsOfAnotherSchemaAreRefusedClearly() throws {
        let data = Data(#"{"schema_version": 0, "run": {}, "trainings": []}"#.utf8)
        let error = try #require(throws: ReportError.self) { try ResultsDocument.decode(data, source: "old.json") }
        #expect(error.description.contains("old.json") && error.description.contains("schema version 0"))
        let missing = try #require(throws: ReportError.self) {
            try ResultsDocument.decode(Data(#"{"schema_version": 1, "trainings": []}"#.utf8), source: "x.json")
        }
        #expect(missing.description.contains("run"))
    }
}

@Suite("Training cache")
struct TrainingCacheTests {
    static let base = ExperimentPlan(profile: .full).trainings[1]   // 2.4, the L2 = 1e-5 run

    func key(_ training: PlannedTraining, checksum: String = "abc", profile: Profile = .full) -> String {
        TrainingCache.key(TrainingCache.inputs(for: training, datasetChecksum: checksum, profile: profile))
    }

    @Test func theKeyIsStableAndIgnoresTheTrainingsName() {
        var renamed = Self.base
        renamed.id = "another-name"
        #expect(key(Self.base) == key(Self.base))
        #expect(key(renamed) == key(Self.base))
    }

    @Test func theKeyChangesWithEveryInputThatDeterminesTheTraining() {
        var variants: [PlannedTraining] = []
        var t = Self.base; t.spec.seed += 1; variants.append(t)
        t = Self.base; t.spec.hyperparameters.epochs += 1; variants.append(t)
        t = Self.base; t.spec.hyperparameters.learningRate = 0.05; variants.append(t)
        t = Self.base; t.spec.hyperparameters.batchSize = 64; variants.append(t)
        t = Self.base; t.spec.hyperparameters.l2 = 1e-4; variants.append(t)
        t = Self.base; t.spec.model = .mlp64; variants.append(t)
        let keys = Set(variants.map { key($0) } + [key(Self.base)])
        #expect(keys.count == variants.count + 1)
        #expect(key(Self.base, checksum: "other") != key(Self.base))
        #expect(key(Self.base, profile: .quick) != key(Self.base))
    }

    /// Neither the thread count nor the CPU changes a bit (engine 3 on), so neither is in the
    /// key: a key hashes the same inputs whatever the machine, and the engine's numerics version.
    @Test func theKeyHoldsTheEngineVersionAndNoThreadCount() throws {
        let inputs = TrainingCache.inputs(for: Self.base, datasetChecksum: "abc", profile: .full)
        let json = String(decoding: TrainingCache.canonical(inputs), as: UTF8.self)
        #expect(!json.contains("threads"))
        #expect(json.contains("\"engineVersion\":\"\(Engine.version)\""))
        let one = withComputeThreads(1) { key(Self.base) }, three = withComputeThreads(3) { key(Self.base) }
        #expect(one == three)
    }

    /// One entry may serve two trainings with the same inputs (3.1b and 3.1b-all): the record
    /// comes back under the name of the training that asks for it.
    @Test func aCachedRecordTakesThePlansNames() {
        let sweep = ExperimentPlan(profile: .full).trainings.first { $0.isSweep }!
        let stored = Fixtures.record(sweep, accuracy: 0.98)
        let relabelled = stored.labelled(as: Self.base)
        #expect(relabelled.id == Self.base.id && relabelled.section == Self.base.section)
        #expect(relabelled.sweepIndex == nil && relabelled.replicate == nil)
        #expect(relabelled.weightsSHA256 == stored.weightsSHA256 && relabelled.cacheKey == stored.cacheKey)
    }

    /// Issue 18: weights cut short or altered, a record edited, truncated or moved under another
    /// key, inputs altered: each is `corrupt`, with the file and the reason, and never served.
    @Test func aCacheServesOnlyWhatItCanProve() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let cache = TrainingCache(directory: folder)
        let labels = Fixtures.testSplit.labels
        let weights: [UInt8] = Array(repeating: 7, count: 256)
        var record = Fixtures.record(Self.base, accuracy: 0.9)   // the fixture's predictions: 9 in 10 right
        record.cacheKey = key(Self.base)
        record.weightsSHA256 = SHA256.hex(of: weights)
        let inputs = TrainingCache.inputs(for: Self.base, datasetChecksum: "abc", profile: .full)
        func reason(_ key: String, labels: [UInt8]? = labels) -> String? {
            switch cache.lookup(key, labels: labels) {
            case .found: return nil
            case .missing: return "missing"
            case let .corrupt(why): return why
            }
        }
        try cache.store(record, weights: weights, inputs: inputs)
        #expect(reason(record.cacheKey) == nil)

        let weightsPath = cache.weightsPath(record.cacheKey)
        try Data(weights.prefix(100)).write(to: URL(fileURLWithPath: weightsPath))
        #expect(reason(record.cacheKey)?.contains("the weights were altered or cut short") == true)
        var flipped = weights
        flipped[17] ^= 1
        try Data(flipped).write(to: URL(fileURLWithPath: weightsPath))
        #expect(reason(record.cacheKey)?.contains("altered") == true)
        try Data(weights).write(to: URL(fileURLWithPath: weightsPath))

        var edited = record
        edited.testAccuracy = 0.99
        try cache.store(edited, weights: weights, inputs: inputs)
        #expect(reason(record.cacheKey)?.contains("disagrees with its own test_predictions") == true)
        #expect(reason(record.cacheKey, labels: nil) == nil)   // without labels, only the files are checked

        let recordPath = cache.recordPath(record.cacheKey)
        let full = try Data(contentsOf: URL(fileURLWithPath: recordPath))
        try full.prefix(full.count / 2).write(to: URL(fileURLWithPath: recordPath))
        #expect(reason(record.cacheKey)?.hasPrefix(recordPath) == true)

        try cache.store(record, weights: weights, inputs: inputs)
        let inputsPath = cache.inputsPath(record.cacheKey)
        try Data("{}".utf8).write(to: URL(fileURLWithPath: inputsPath))
        #expect(reason(record.cacheKey)?.contains("not the entry's key") == true)
    }

    @Test func storedRecordsComeBackMarkedAsCachedAndReportWhatChanged() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let cache = TrainingCache(directory: folder)
        var record = Fixtures.record(Self.base, accuracy: 0.98)
        record.cacheKey = key(Self.base)
        record.weightsSHA256 = SHA256.hex(of: [1, 2, 3])
        guard case .missing = cache.lookup(record.cacheKey, labels: nil) else { Issue.record("an empty cache found something"); return }
        try cache.store(record, weights: [1, 2, 3], inputs: TrainingCache.inputs(for: Self.base, datasetChecksum: "abc", profile: .full))
        guard case let .found(back) = cache.lookup(record.cacheKey, labels: nil) else { Issue.record("the stored entry was not found"); return }
        #expect(back.fromCache && back.testAccuracy == 0.98)
        cache.remember(training: Self.base, inputs: TrainingCache.inputs(for: Self.base, datasetChecksum: "abc", profile: .full))
        var changed = Self.base
        changed.spec.seed = 99
        let reason = cache.reasonForRunning(training: changed, inputs: TrainingCache.inputs(for: changed, datasetChecksum: "abc", profile: .full))
        #expect(reason.contains("seed"))
    }

    @Test func thePlanHasTheNotebooksEighteenTrainings() {
        let plan = ExperimentPlan(profile: .full, sections: [.s2_3, .s2_4, .s3_1])
        #expect(plan.trainings.count == 18)
        #expect(plan.trainings.filter(\.isSweep).count == 15)
        #expect(Set(plan.trainings.map(\.spec.seed)).count == 16)   // 2.3, 2.4 and 3.1 share the base seed
        #expect(plan.trainings.first { $0.id == "3.1" }?.spec.hyperparameters.epochs == 40)
        let other = ExperimentPlan(profile: .full, seed: 2)
        let sweepSeeds = Set(plan.trainings.filter(\.isSweep).map(\.spec.seed))
        #expect(sweepSeeds.isDisjoint(with: other.trainings.filter(\.isSweep).map(\.spec.seed)))
        let overridden = ExperimentPlan(profile: .quick, overrides: [try! Override(parsing: "learning-rate=0.01")])
        #expect(overridden.trainings.allSatisfy { $0.spec.hyperparameters.learningRate == 0.01 })
        #expect(throws: PlanError.self) { try Override(parsing: "momentum=0.9") }
        #expect(throws: PlanError.self) { try Override(parsing: "epochs=2.5") }
    }
}

@Suite("Machine facts")
struct MachineFactsTests {
    /// A build's own reports do not make the checkout dirty; a change to the code does.
    @Test func onlyChangesOutsideReportsMakeACheckoutDirty() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        func git(_ arguments: String...) throws {
            let output = MachineFacts.run(["git", "-C", folder, "-c", "user.name=t", "-c", "user.email=t@t"] + arguments)
            try #require(output != nil, "git \(arguments.joined(separator: " "))")
        }
        try FileManager.default.createDirectory(atPath: folder + "/reports/latest", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder + "/Sources", withIntermediateDirectories: true)
        try "1".write(toFile: folder + "/reports/latest/results.json", atomically: true, encoding: .utf8)
        try "1".write(toFile: folder + "/Sources/main.swift", atomically: true, encoding: .utf8)
        try git("init", "-q")
        try git("add", ".")
        try git("commit", "-qm", "first")
        #expect(MachineFacts.git(in: folder)?.dirty == false)

        try "2".write(toFile: folder + "/reports/latest/results.json", atomically: true, encoding: .utf8)
        #expect(MachineFacts.git(in: folder)?.dirty == false)
        // Asked from a subfolder, the answer is the same.
        #expect(MachineFacts.git(in: folder + "/Sources")?.dirty == false)

        try "2".write(toFile: folder + "/Sources/main.swift", atomically: true, encoding: .utf8)
        #expect(MachineFacts.git(in: folder)?.dirty == true)
        #expect(MachineFacts.git(in: folder + "/reports")?.dirty == true)
    }
}
