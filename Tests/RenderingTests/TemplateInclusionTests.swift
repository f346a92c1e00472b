import Foundation
import Testing
@testable import Results
import ReportFixtures
@testable import Rendering

/// A template that includes itself, directly or through others, would make Mustache recurse
/// until the stack overflows; the set is refused when it is loaded, naming the cycle.
@Suite("Template inclusion")
struct TemplateInclusionTests {
    /// A temporary templates folder holding `files` (name → source).
    static func folder(_ files: [String: String]) throws -> String {
        let folder = try Fixtures.temporaryDirectory()
        for (name, source) in files {
            try source.write(toFile: folder + "/\(name).mustache", atomically: true, encoding: .utf8)
        }
        return folder
    }

    @Test func aTemplateThatIncludesItselfIsRefusedByName() throws {
        let folder = try Self.folder(["index": "{{> 2.4}}", "2.4": "<p>{{#rows}}{{>2.4}}{{/rows}}</p>"])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let error = try #require(throws: ReportError.self) { try StrictTemplates(directory: folder) }
        #expect(error.description.hasPrefix("\(folder)/2.4.mustache includes itself through 2.4 → 2.4"))
    }

    @Test func aCycleThroughSeveralTemplatesIsNamedInFull() throws {
        let folder = try Self.folder(["index": "{{> a}}", "a": "{{> b}}", "b": "x {{> c}}", "c": "{{< a}}{{/a}}"])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let error = try #require(throws: ReportError.self) { try StrictTemplates(directory: folder) }
        #expect(error.description.hasPrefix("\(folder)/a.mustache includes itself through a → b → c → a"))
    }

    @Test func sharedPartialsWithoutACycleAreFine() throws {
        // index → a → shared and index → b → shared: shared twice, but no cycle.
        let folder = try Self.folder(["index": "{{> a}}{{> b}}", "a": "A{{> shared}}", "b": "B{{> shared}}", "shared": "{{x}}"])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let templates = try StrictTemplates(directory: folder)
        #expect(try templates.render("index", ["x": "1"]) == "A1B1")
        #expect(StrictTemplates.inclusionCycle(in: ["a": "{{> b}}", "b": "{{> missing}}"]) == nil)
    }

    @Test func aTemplateThatDoesNotParseIsNamedWithLineAndColumn() throws {
        let folder = try Self.folder(["index": "<p>\n{{#rows}}{{name}}</p>"])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let error = try #require(throws: ReportError.self) { try StrictTemplates(directory: folder) }
        #expect(error.description.hasPrefix("\(folder)/index.mustache: not a valid Mustache template (line 2, column"))
        #expect(error.description.hasSuffix(": a section is not closed)"))
    }

    @Test func theProjectsTemplatesHaveNoCycle() throws {
        _ = try StrictTemplates(directory: Fixtures.templatesDirectory)
    }
}
