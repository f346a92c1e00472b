import Foundation
@testable import Results
@testable import Architecture
import ReportFixtures
@testable import Rendering
import Testing

@Suite("Duplicate JSON keys are refused with their path")
struct DuplicateKeysTests {
    func first(_ text: String) -> String? { DuplicateKeys.first(in: Array(text.utf8)) }

    @Test func distinctKeysPass() {
        #expect(first(#"{"a": 1, "b": {"a": 2}, "c": [{"a": 1}, {"a": 2}], "d": "{\"a\":1,\"a\":2}"}"#) == nil)
        #expect(first("[1, 2.5e3, true, null, \"x\"]") == nil)
    }

    @Test func aRepeatedKeyIsNamedWithItsPath() {
        #expect(first(#"{"a": 1, "a": 2}"#) == #"the document: key "a" appears twice"#)
        #expect(first(#"{"trainings": [{}, {}, {}, {"id": "2.3", "x": 1, "id": "3.1"}]}"#) == #"trainings[3]: key "id" appears twice"#)
        #expect(first(#"{"run": {"cpu": {"n": [1, {"k": 1, "k": 2}]}}}"#) == #"run.cpu.n[1]: key "k" appears twice"#)
    }

    @Test func escapesAreDecodedBeforeComparing() {
        #expect(first(#"{"id": 1, "\u0069d": 2}"#) == #"the document: key "id" appears twice"#)
        #expect(first(#"{"a\"b": 1, "a\u0022b": 2}"#) != nil)
        #expect(first(#"{"é": 1, "\u00e9": 2}"#) != nil)
    }

    /// Broken JSON (the decoder names the syntax error afterwards) ends the scan without a false
    /// duplicate, and a duplicate before the break is still found.
    @Test func brokenJSONEndsTheScan() {
        for text in ["{", "[}", "{\"a\":}", "[[[", "\"unterminated", "{\"a\": [1, 2", "{\"a\": {\"b\": 1}"] {
            #expect(first(text) == nil, "\(text)")
        }
        #expect(first("{\"a\": 1, \"a\": 2") == #"the document: key "a" appears twice"#)
        #expect(first("[{\"k\": 1, \"k\"") == #"[0]: key "k" appears twice"#)
    }

    @Test func aResultsFileWithARepeatedKeyIsRefused() throws {
        let text = #"{"schema_version": 1, "schema_version": 1}"#
        let error = try #require(throws: ReportError.self) { try ResultsDocument.decode(Data(text.utf8), source: "results.json") }
        #expect(error.description == #"results.json: the document: key "schema_version" appears twice"#, "\(error)")
    }
}
