import Mustache

/// What a template reads: text, a flag, a list, or an object of named values. A page's view
/// model is a typed struct (`IndexPage`, `Section24View`, …); `TemplateValue(_:)` turns it into
/// this, every stored property a key in snake case (`bestEpoch` → `best_epoch`). Nothing else
/// reaches a template, so `StrictTemplates` can check every placeholder against the value before
/// Mustache renders it.
///
/// A view model holds text, never numbers: numbers are formatted by `NumberFormat` when the view
/// model is made, so the templates cannot format one differently.
public enum TemplateValue: Sendable, Equatable {
    case text(String)
    case flag(Bool)
    case list([TemplateValue])
    case object([String: TemplateValue])

    /// `viewModel` as a template reads it: strings stay text, booleans flags; arrays become lists
    /// item by item; a struct becomes an object of its stored properties, a dictionary with
    /// string keys an object of its entries; a `TemplateChoice` an object of one flag per case,
    /// true for its own; an absent optional becomes `false`, so that
    /// `{{#part}}…{{/part}}` skips it and `{{^part}}…{{/part}}` shows the alternative.
    /// A `TemplateValue` is taken as it is.
    public init(_ viewModel: Any) {
        switch viewModel {
        case let value as TemplateValue: self = value
        case let text as String: self = .text(text)
        case let flag as Bool: self = .flag(flag)
        case let choice as any TemplateChoice: self = choice.templateFlags
        case let list as [Any]: self = .list(list.map(TemplateValue.init))
        default:
            let mirror = Mirror(reflecting: viewModel)
            switch mirror.displayStyle {
            case .optional:
                self = mirror.children.first.map { TemplateValue($0.value) } ?? .flag(false)
            case .struct:
                var object: [String: TemplateValue] = [:]
                for child in mirror.children {
                    guard let label = child.label else { continue }
                    object[Self.snakeCase(label)] = TemplateValue(child.value)
                }
                self = .object(object)
            case .dictionary:
                var object: [String: TemplateValue] = [:]
                for entry in mirror.children {
                    let pair = Array(Mirror(reflecting: entry.value).children)
                    guard pair.count == 2, let key = pair[0].value as? String else {
                        preconditionFailure("a view model's dictionaries have string keys, not \(type(of: viewModel))")
                    }
                    object[key] = TemplateValue(pair[1].value)
                }
                self = .object(object)
            default:
                preconditionFailure("a view model holds strings, flags, lists, structs and dictionaries, not \(type(of: viewModel))")
            }
        }
    }

    /// The value of `key` in an object; nil for a missing key or a value that is not an object.
    public subscript(key: String) -> TemplateValue? {
        if case let .object(object) = self { object[key] } else { nil }
    }

    /// The text, when this is text.
    public var text: String? { if case let .text(text) = self { text } else { nil } }
    /// The flag, when this is a flag.
    public var flag: Bool? { if case let .flag(flag) = self { flag } else { nil } }
    /// The items, when this is a list.
    public var items: [TemplateValue]? { if case let .list(items) = self { items } else { nil } }

    /// Whether a section on this value renders: a true flag, a list with items, non-empty
    /// text, any object.
    var isTruthy: Bool {
        switch self {
        case let .flag(flag): flag
        case let .list(items): !items.isEmpty
        case let .text(text): !text.isEmpty
        case .object: true
        }
    }

    /// The value as swift-mustache walks it: Swift strings, booleans and arrays, which it
    /// renders as it documents, and objects that give their entries by name.
    var mustache: Any {
        switch self {
        case let .text(text): text
        case let .flag(flag): flag
        case let .list(items): items.map(\.mustache)
        case let .object(object): MustacheObject(entries: object)
        }
    }

    /// An object's entries, looked up by swift-mustache.
    struct MustacheObject: MustacheParent {
        var entries: [String: TemplateValue]
        func child(named name: String) -> Any? { entries[name]?.mustache }
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

/// A choice among named cases (a verdict, a shape), which a template reads as one flag per case,
/// true for the case it holds (`{{#shape.flat}}…{{/shape.flat}}`): a view keeps the enum its
/// analysis returned rather than a flag per case, flags that could disagree.
protocol TemplateChoice: CaseIterable, Equatable {
    /// The case's key in templates, before snake case (the raw value, for a string enum).
    var templateName: String { get }
}

extension TemplateChoice where Self: RawRepresentable, RawValue == String {
    var templateName: String { rawValue }
}

extension TemplateChoice {
    /// One flag per case, by its snake-case name.
    var templateFlags: TemplateValue {
        .object(Dictionary(uniqueKeysWithValues: Self.allCases.map { (TemplateValue.snakeCase($0.templateName), .flag($0 == self)) }))
    }
}

extension TemplateValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral {
    public init(stringLiteral text: String) { self = .text(text) }
    public init(booleanLiteral flag: Bool) { self = .flag(flag) }
    public init(arrayLiteral items: TemplateValue...) { self = .list(items) }
    public init(dictionaryLiteral entries: (String, TemplateValue)...) {
        self = .object(Dictionary(entries, uniquingKeysWith: { _, last in last }))
    }
}
