import Analysis
import Assignment
import Foundation
@testable import Results
import ReportFixtures
@testable import Rendering
import Testing

/// The sections, the catalogue's chapters and the templates agree: each chapter of the report's
/// body is written by one section, in the catalogue's order; each section's figures are its
/// chapter's, and its template is one of the folder's.
@Suite struct ReportSectionTests {
    /// The chapters the page writes around the sections (the references and "About this run",
    /// in `index.mustache` itself).
    static let pageChapters: Set<String> = ["references", "run"]

    @Test func everyChapterHasItsSectionInReadingOrder() {
        let body = Catalogue.chapters.map(\.anchor).filter { !Self.pageChapters.contains($0) }
        #expect(ReportSections.all.map { $0.anchor } == body)
        for section in ReportSections.all {
            let chapter = section.chapter
            #expect(chapter != nil, "\(section) names chapter \(section.anchor), which the catalogue has")
        }
    }

    @Test func keysAndTemplatesAreDistinctAndExist() throws {
        let keys = ReportSections.all.compactMap { $0.key }
        #expect(Set(keys).count == keys.count)
        let templates = ReportSections.all.map { $0.template }
        #expect(Set(templates).count == templates.count)
        let folder = Fixtures.templatesDirectory
        for template in templates {
            #expect(FileManager.default.fileExists(atPath: "\(folder)/\(template).mustache"), "templates/\(template).mustache exists")
        }
    }

    /// Each section's template holds its chapter's anchor and its subsections'.
    @Test func eachTemplateHoldsItsChaptersAnchors() throws {
        for section in ReportSections.all {
            let template = try String(contentsOfFile: Fixtures.templatesDirectory + "/\(section.template).mustache", encoding: .utf8)
            let chapter = section.chapter
            let anchors = [section.anchor] + (chapter?.experiment?.subsections.map(\.anchor) ?? [])
            for anchor in anchors {
                #expect(template.contains("id=\"\(anchor)\""), "\(section.template) has the anchor \(anchor)")
            }
        }
    }

    /// On the fixture run, which has every training and the test set, each section draws every
    /// figure its chapter declares and none of another chapter's.
    @Test func eachSectionDrawsItsChaptersFiguresAndNoOthers() throws {
        let input = SectionInput(Fixtures.recorded(Fixtures.results()), drawing: true)
        for section in ReportSections.all {
            let chapter = section.chapter
            let own = try #require(chapter).figures
            for figure in FigureID.allCases {
                let drawn = section.draw(figure, input) != nil
                #expect(drawn == own.contains(figure), "\(section) draws \(figure): \(drawn)")
            }
        }
    }

    /// A section's view sits under its key in the page's context.
    @Test func viewsSitUnderTheirKeys() throws {
        let context = ReportViewModel.make(Fixtures.results(), figures: [], svgs: [:], labels: Fixtures.testSplit.labels)
        for key in ReportSections.all.compactMap { $0.key } {
            guard case .object? = context[key] else { Issue.record("no view under \(key)"); continue }
        }
    }
}

extension ReportSectionTests {
    /// The limitations name what the run holds: the sweep's size when there is one, the
    /// sections trained once; the reproduction names the profile's make target and the commit.
    @Test func theClosingSectionsFollowTheRun() throws {
        let full = try #require(LimitationsSection.view(SectionInput(Fixtures.results())))
        #expect(full.sweep?.factors == "five" && full.singleSections == "3.1 and 3.1b")
        let small = try #require(LimitationsSection.view(SectionInput(Fixtures.results(sections: [.s2_3]))))
        #expect(small.sweep == nil && !small.singleAny)
        var quick = Fixtures.results()
        quick.run.profile = .quick
        let steps = try #require(ReproductionSection.view(SectionInput(quick)))
        #expect(steps.target == "quick" && steps.folder == "reports/quick")
    }
}

extension ReportSectionTests {
    /// Every flag a template reads from a choice (`{{#verdict.pulls_ahead}}`,
    /// `{{#shape.flat}}`) names a case of a choice the views hold: a branch no run takes yet
    /// would otherwise hide a misspelt case until one does.
    @Test func everyChoiceFlagInTheTemplatesIsACase() throws {
        func names<C: TemplateChoice>(_ choice: C.Type) -> Set<String> { Set(C.allCases.map { TemplateValue.snakeCase($0.templateName) }) }
        let verdicts = names(FitDiagnosis.Verdict.self).union(names(ReferenceComparison.Verdict.self))
            .union(names(Section32View.Generalisation.self))
        let known = ["verdict": verdicts, "shape": names(SweepAnalysis.Shape.self),
                     "standing": names(Section31bView.Standing.self)]
        let folder = Fixtures.templatesDirectory
        var seen = 0
        for file in try FileManager.default.contentsOfDirectory(atPath: folder) where file.hasSuffix(".mustache") {
            let text = try String(contentsOfFile: folder + "/" + file, encoding: .utf8)
            for tag in StrictTemplates.tags(in: text) {
                let name = tag.trimmingCharacters(in: CharacterSet(charactersIn: "#^/ "))
                let parts = name.split(separator: ".").map(String.init)
                guard parts.count >= 2, let cases = known[parts[parts.count - 2]] else { continue }
                seen += 1
                #expect(cases.contains(parts[parts.count - 1]), "\(file): {{\(tag)}} is no case of \(parts[parts.count - 2])")
            }
        }
        #expect(seen > 20)
    }
}

// The views made from a document alone, as the tests build them.
extension Section24View {
    init(_ results: ResultsDocument) { self.init(SectionInput(results)) }
}

extension Section31View {
    init(_ results: ResultsDocument, labels: [UInt8]) { self.init(SectionInput(results, labels: labels)) }
}

extension Section31bView {
    init(_ results: ResultsDocument, labels: [UInt8]) { self.init(SectionInput(results, labels: labels)) }
}
