import Assignment
import Foundation
import Testing
@testable import Results
import ReportFixtures
@testable import Rendering

/// What the page gives its reader: the contents with subsections, the run's files, numbered
/// table captions, anchors on headings, dark mode.
@Suite("Reader features")
struct ReaderTests {
    static func entry(_ toc: [ReportViewModel.ContentsEntry], _ anchor: String) -> ReportViewModel.ContentsEntry? {
        for e in toc {
            if e.anchor == anchor { return e }
            if let found = entry(e.children, anchor) { return found }
        }
        return nil
    }

    @Test func theContentsListTheSubsectionsUnderTheirSections() throws {
        let toc = ReportViewModel.contents(Fixtures.results())
        func children(_ anchor: String) -> [String] {
            (Self.entry(toc, anchor)?.children ?? []).map(\.anchor)
        }
        #expect(children("s2-3") == ["s2-3-overfitting"])
        #expect(children("s2-4") == ["s2-4-single", "s2-4-sweep", "s2-4-best", "s2-4-hinton"])
        #expect(children("s3-1") == ["s3-1-layers", "s3-1-curves", "s3-1-errors"])
        #expect(children("s1-1").isEmpty && children("run").isEmpty)
        #expect(Self.entry(toc, "s2-4")?.hasChildren == true)
        #expect(Self.entry(toc, "s1-1")?.hasChildren == false)
        // A full run has everything.
        for anchor in ["s2-3-overfitting", "s2-4-single", "s2-4-sweep", "s2-4-best", "s3-1-curves", "s3-1-errors"] {
            #expect(Self.entry(toc, anchor)?.present == true, "\(anchor)")
        }
    }

    @Test func subsectionsWhoseTrainingTheRunLeftOutAreMarkedAbsent() throws {
        // Without section 2.4 and 3.1: their trainings' subsections are absent, the prose ones stay.
        let toc = ReportViewModel.contents(Fixtures.results(sections: [.s2_3]))
        for anchor in ["s2-4", "s2-4-single", "s2-4-sweep", "s2-4-best", "s3-1", "s3-1-curves", "s3-1-errors"] {
            #expect(Self.entry(toc, anchor)?.present == false, "\(anchor)")
        }
        for anchor in ["s2-3-overfitting", "s2-4-hinton", "s3-1-layers"] {
            #expect(Self.entry(toc, anchor)?.present == true, "\(anchor)")
        }
        // The sweep without the single training of 2.4: only "One training" is absent.
        var results = Fixtures.results()
        results.trainings.removeAll { $0.id == "2.4" }
        let partial = ReportViewModel.contents(results)
        #expect(Self.entry(partial, "s2-4-single")?.present == false)
        #expect(Self.entry(partial, "s2-4-sweep")?.present == true)
        #expect(Self.entry(partial, "s2-4-best")?.present == true)
    }

    @Test func theRunsFilesListTheModelOnlyWhenTheFolderHasIt() {
        let figures = ReportFigures.make(Fixtures.recorded(Fixtures.results(sections: [.s2_3])))
        let with = ReportViewModel.files(figures, attachments: ["lenet5.safetensors"])
        #expect(with.hasModel && with.models.map(\.file) == ["lenet5.safetensors"])
        #expect(with.results == "results.json")
        let list = with.figures
        #expect(list.count == figures.count && list.count >= 2)
        #expect(list.map(\.svg) == figures.map { "\($0.id).svg" })
        #expect(list.map(\.png) == figures.map { "\($0.id).png" })
        #expect(list.map(\.number) == figures.indices.map { String($0 + 1) }, "in reading order")
        #expect(!ReportViewModel.files(figures, attachments: []).hasModel)
        #expect(!ReportViewModel.files(figures, attachments: ["other.bin"]).hasModel)
    }

    /// Renders the fixture run's report, with the saved model attached or not.
    static func render(model: Bool) throws -> String {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var attachments: [String: String] = [:]
        if model {
            try Data([1, 2, 3]).write(to: URL(fileURLWithPath: folder + "/model.safetensors"))
            attachments["lenet5.safetensors"] = folder + "/model.safetensors"
        }
        let writer = ReportWriter(templates: try StrictTemplates(directory: Fixtures.templatesDirectory))
        try writer.write(Fixtures.results(), to: folder + "/report", attachments: attachments)
        return try String(contentsOfFile: folder + "/report/index.html", encoding: .utf8)
    }

    @Test func thePageLinksTheRunsFilesAndTheModelWhenAttached() throws {
        let with = try Self.render(model: true)
        #expect(with.contains("<a href=\"results.json\">"))
        #expect(with.contains("<a href=\"lenet5.safetensors\">"))
        #expect(with.contains("<a href=\"fig-2-4-sweep.svg\""))
        #expect(with.contains("<a href=\"fig-2-4-sweep.png\""))
        let without = try Self.render(model: false)
        #expect(!without.contains("href=\"lenet5.safetensors\""))
    }

    @Test func everyTableHasItsIdAndItsNumberInItsCaption() throws {
        let html = try Self.render(model: false)
        let tables = ReportViewModel.tableContext(Fixtures.results(), labels: Fixtures.testSplit.labels)
        for (id, table) in tables {
            let (anchor, number) = (table.anchor, table.number)
            #expect(html.contains(" id=\"\(anchor)\">\n<caption><span class=\"table-number\">Table \(number).</span>"), "\(id)")
        }
        // No other table: each one in the page is one of these.
        #expect(html.components(separatedBy: "<table ").count - 1 == tables.count)
    }

    @Test func theRunTableHasANumberedCaptionAndThePageItsReaderFeatures() throws {
        let html = try Self.render(model: false)
        let number = try #require(ReportViewModel.tableNumbers(Fixtures.results(), labels: Fixtures.testSplit.labels)["trainings"])
        #expect(html.contains("<table class=\"data trainings\" id=\"table-trainings\">\n<caption><span class=\"table-number\">Table \(number).</span> Every training of the run."))
        #expect(!html.contains("<p class=\"table-caption\">Every training of the run"))
        // Dark mode is offered, styled, and the figures get a light card rather than inversion.
        #expect(html.contains("<meta name=\"color-scheme\" content=\"light dark\">"))
        #expect(html.contains("prefers-color-scheme: dark"))
        #expect(!html.contains("invert("))
        // Every heading of index.mustache carries an id; the contents show the subsections.
        for id in ["top", "contents", "part-1", "part-2", "part-3", "references", "run", "run-files", "run-trainings"] {
            #expect(html.contains("id=\"\(id)\""), "\(id)")
        }
        #expect(html.contains("<ol class=\"toc-sub\">"))
        #expect(html.contains("href=\"#s2-4-sweep\""))
        // The facts of the run, in words.
        #expect(html.contains("<dt>Working tree</dt><dd>clean</dd>"))
        #expect(html.contains("<dt>Operating system</dt><dd>not recorded</dd>"))
    }
}
