import Foundation

/// Decoding errors in words a user can act on: where in the document (a JSON path such as
/// `trainings[2].history.loss[4]`) and what was wrong there, without Swift's type names.
extension DecodingError {
    package var plainDescription: String {
        switch self {
        case let .typeMismatch(type, context):
            return "\(Self.path(context.codingPath)): expected \(Self.kind(type)), found something else"
        case let .valueNotFound(type, context):
            return "\(Self.path(context.codingPath)): expected \(Self.kind(type)), found null"
        case let .keyNotFound(key, context):
            return "\(Self.path(context.codingPath + [key])): missing"
        case let .dataCorrupted(context):
            let detail = Self.plain(context.debugDescription)
            return context.codingPath.isEmpty ? "not valid JSON (\(detail))" : "\(Self.path(context.codingPath)): \(detail)"
        @unknown default:
            return "cannot be decoded"
        }
    }

    /// The decoder's own words with its Swift type names replaced.
    static func plain(_ text: String) -> String {
        if text.isEmpty { return "invalid value" }
        if text.hasPrefix("Cannot initialize") {
            // "Cannot initialize Padding from invalid String value sideways"
            let value = text.components(separatedBy: " value ").last ?? ""
            return "\"\(value)\" is not one of the accepted values"
        }
        if let range = text.range(of: " does not fit in ") {
            return String(text[..<range.lowerBound]).replacingOccurrences(of: "Parsed JSON number ", with: "the number ") + " is out of range"
        }
        return text
    }

    /// `a.b[3].c`, or `(top level)` for the empty path.
    package static func path(_ codingPath: [any CodingKey]) -> String {
        var result = ""
        for key in codingPath {
            if let index = key.intValue { result += "[\(index)]" } else { result += (result.isEmpty ? "" : ".") + key.stringValue }
        }
        return result.isEmpty ? "(top level)" : result
    }

    /// "a number", "a string", … for the types documents hold.
    static func kind(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        case is Int.Type, is Int64.Type, is UInt64.Type, is UInt8.Type, is Int32.Type, is UInt32.Type: return "an integer"
        case is Double.Type, is Float.Type: return "a number"
        case is [Any].Type: return "an array"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "an array" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "an object"
        }
    }
}
