@testable import Architecture
import Foundation
import Testing

/// The one explainer of JSON errors: every document the tool reads gets the same words.
@Suite struct JSONExplanationTests {
    struct Layer: Decodable {
        var units: Int
        var activation: Activation
        var rate: Float?
    }

    struct Document: Decodable {
        var layers: [Layer]
    }

    static func explain(_ text: String, fields: JSONExplanation.Fields = .architecture) -> String {
        let data = Data(text.utf8)
        do {
            _ = try JSONDecoder().decode(Document.self, from: data)
            return "decoded"
        } catch {
            return JSONExplanation.explain(error, data: data, fields: fields)
        }
    }

    @Test func eachKindOfMistakeIsNamedByItsPathWithWhatWasFound() {
        #expect(Self.explain(#"{"layers": [{"units": 3, "activation": "relu"}, {"units": "four", "activation": "relu"}]}"#)
                == #"layers[1].units: expected a whole number, found a string ("four")"#)
        #expect(Self.explain(#"{"layers": [{"units": 3}]}"#) == "layers[0].activation: missing")
        #expect(Self.explain(#"{"layers": [{"units": null, "activation": "relu"}]}"#)
                == "layers[0].units: expected a whole number, found null")
        #expect(Self.explain(#"{"layers": [{"units": 3, "activation": "swish"}]}"#)
                == #"layers[0].activation: expected one of linear, relu, softmax, found a string ("swish")"#)
        // Without the document's choices, the type's own refusal, without its Swift name.
        #expect(Self.explain(#"{"layers": [{"units": 3, "activation": "swish"}]}"#, fields: .none)
                == #"layers[0].activation: expected one of the accepted values, found a string ("swish")"#)
        #expect(Self.explain(#"{"layers": 3}"#) == "layers: expected a list, found the number 3")
        #expect(Self.explain(#"{"layers": [{"units": 3, "activation": "relu"}"#).hasPrefix("not valid JSON ("))
        #expect(Self.explain(#"[1, 2]"#) == "the document: expected an object, found a list (2 values)")
    }

    @Test func numbersBeyondTheirFieldAreNamed() {
        let floats = JSONExplanation.Fields(floats: ["rate"])
        #expect(Self.explain(#"{"layers": [{"units": 3, "activation": "relu", "rate": 1e300}]}"#, fields: floats)
                == "layers[0].rate: expected a number within a 32-bit float's range, found the number 1e+300")
    }

    @Test func withoutTheDocumentTheLineSaysWhatWasExpected() throws {
        let error = try #require(throws: DecodingError.self) {
            try JSONDecoder().decode(Document.self, from: Data(#"{"layers": [{"units": "x", "activation": "relu"}]}"#.utf8))
        }
        #expect(JSONExplanation.explain(error, in: nil) == "layers[0].units: expected a whole number")
    }
}
