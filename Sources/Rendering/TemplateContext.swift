/// Turns a typed view model into what Mustache and `StrictTemplates` read: every stored
/// property of a struct becomes a key in snake case (`bestEpoch` → `best_epoch`), strings and
/// flags stay as they are, lists are converted item by item, and an absent optional becomes
/// `false`, so that `{{#part}}…{{/part}}` skips it and `{{^part}}…{{/part}}` shows the
/// alternative.
///
/// A view model holds text, never numbers: numbers are formatted by `NumberFormat` when the
/// view model is made, so the templates cannot format one differently.
enum TemplateContext {
    static func value(_ x: Any) -> Any {
        switch x {
        case let text as String: return text
        case let flag as Bool: return flag
        case let dictionary as [String: Any]: return dictionary.mapValues(value)
        case let list as [Any]: return list.map(value)
        default:
            let mirror = Mirror(reflecting: x)
            switch mirror.displayStyle {
            case .optional:
                return mirror.children.first.map { value($0.value) } ?? false
            case .struct:
                var dictionary: [String: Any] = [:]
                for child in mirror.children {
                    guard let label = child.label else { continue }
                    dictionary[snakeCase(label)] = value(child.value)
                }
                return dictionary
            default:
                preconditionFailure("a view model holds strings, flags, lists and structs, not \(type(of: x))")
            }
        }
    }

    /// `bestEpoch` → `best_epoch`, `notebookSD` → `notebook_sd`, `reaches99` → `reaches99`:
    /// an underscore before each word that starts with a capital, a run of capitals one word.
    static func snakeCase(_ name: String) -> String {
        let characters = Array(name)
        var out = ""
        for (i, character) in characters.enumerated() {
            if character.isUppercase, i > 0 {
                let previous = characters[i - 1]
                let next = i + 1 < characters.count ? characters[i + 1] : nil
                if !previous.isUppercase || (next?.isLowercase ?? false) { out += "_" }
            }
            out += character.lowercased()
        }
        return out
    }
}
