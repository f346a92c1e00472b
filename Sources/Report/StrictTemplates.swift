import Foundation
import Mustache

/// Templates rendered with swift-mustache, after a check that every placeholder they use has
/// a value: Mustache itself renders a missing value as nothing, which would hide a typo or a
/// number the run did not produce. The view model is plain dictionaries, arrays, strings and
/// booleans, so the check can walk it exactly as Mustache will.
public struct StrictTemplates {
    public let directory: String
    private let sources: [String: String]
    private let library: MustacheLibrary

    /// Loads every `*.mustache` file of `directory`.
    /// - Throws: `ReportError` naming the folder or the template that does not parse.
    public init(directory: String) throws {
        self.directory = directory
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".mustache") }.sorted()
        } catch {
            throw ReportError("templates folder \(directory) cannot be read (\(error.localizedDescription)); pass --templates DIR")
        }
        guard !files.isEmpty else { throw ReportError("templates folder \(directory) holds no .mustache files") }
        var sources: [String: String] = [:]
        var library = MustacheLibrary()
        for file in files {
            let name = String(file.dropLast(".mustache".count))
            let path = (directory as NSString).appendingPathComponent(file)
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ReportError("\(path): cannot be read as UTF-8 text")
            }
            do {
                try library.register(text, named: name)
            } catch {
                throw ReportError("\(path): not a valid Mustache template (\(error))")
            }
            sources[name] = text
        }
        self.sources = sources
        self.library = library
    }

    /// Renders template `name` with `context` after checking every placeholder it reaches.
    public func render(_ name: String, _ context: [String: Any]) throws -> String {
        try check(name, stack: [context], visiting: [])
        guard let output = library.render(context, withTemplate: name) else {
            throw ReportError("template \(name).mustache not found in \(directory)")
        }
        return output
    }

    /// Walks the template's tags with a context stack, as Mustache resolves names.
    func check(_ name: String, stack: [Any], visiting: Set<String>) throws {
        guard let source = sources[name] else { throw ReportError("template \(name).mustache not found in \(directory)") }
        guard !visiting.contains(name) else { return }
        var stack = stack
        var sections: [(name: String, pushed: Bool, skipped: Bool)] = []
        // Sections whose value is empty or false are skipped, with everything inside them.
        var skipping = 0
        for tag in Self.tags(in: source) {
            let kind = tag.first ?? " "
            let body = kind == "#" || kind == "^" || kind == "/" || kind == ">" || kind == "&" || kind == "!" || kind == "{"
                ? String(tag.dropFirst()).trimmingCharacters(in: .whitespaces) : tag
            let key = body.hasSuffix("}") ? String(body.dropLast()).trimmingCharacters(in: .whitespaces) : body
            switch kind {
            case "!":
                continue
            case "#", "^":
                let value = skipping > 0 ? nil : resolve(key, in: stack)
                if skipping == 0, kind == "#", value == nil {
                    throw ReportError("template \(name).mustache: section \"\(key)\" has no value")
                }
                if skipping > 0 || kind == "^" {
                    // An inverted section renders in the outer context; when its value is truthy it is skipped.
                    let skip = skipping > 0 || (kind == "^" && Self.isTruthy(value))
                    sections.append((key, false, skip))
                    if skip { skipping += 1 }
                    continue
                }
                if !Self.isTruthy(value) {
                    sections.append((key, false, true))
                    skipping += 1
                } else if let array = value as? [Any] {
                    stack.append(array[0])
                    sections.append((key, true, false))
                } else if value is Bool {
                    sections.append((key, false, false))
                } else {
                    stack.append(value!)
                    sections.append((key, true, false))
                }
            case "/":
                guard let open = sections.popLast(), open.name == key else {
                    throw ReportError("template \(name).mustache: unbalanced section end \"\(key)\"")
                }
                if open.pushed { stack.removeLast() }
                if open.skipped { skipping -= 1 }
            case ">":
                if skipping == 0 { try check(key, stack: stack, visiting: visiting.union([name])) }
            default:
                if skipping == 0, key != ".", resolve(key, in: stack) == nil {
                    throw ReportError("template \(name).mustache: placeholder \"\(key)\" has no value")
                }
            }
        }
        if let open = sections.last { throw ReportError("template \(name).mustache: section \"\(open.name)\" is not closed") }
    }

    static func isTruthy(_ value: Any?) -> Bool {
        switch value {
        case nil: return false
        case let bool as Bool: return bool
        case let array as [Any]: return !array.isEmpty
        case let string as String: return !string.isEmpty
        default: return true
        }
    }

    /// Looks `key` (dotted or not) up as Mustache does: its first part in the innermost
    /// context that has it, the rest inside that value.
    func resolve(_ key: String, in stack: [Any]) -> Any? {
        if key == "." { return stack.last }
        let parts = key.split(separator: ".").map(String.init)
        for context in stack.reversed() {
            guard let dictionary = context as? [String: Any], var value = dictionary[parts[0]] else { continue }
            for part in parts.dropFirst() {
                guard let next = (value as? [String: Any])?[part] else { return nil }
                value = next
            }
            return value
        }
        return nil
    }

    /// The contents of every `{{…}}` and `{{{…}}}` tag, in order.
    static func tags(in source: String) -> [String] {
        var tags: [String] = []
        var rest = source[...]
        while let open = rest.range(of: "{{") {
            let triple = rest[open.upperBound...].hasPrefix("{")
            let closing = triple ? "}}}" : "}}"
            guard let close = rest.range(of: closing, range: open.upperBound..<rest.endIndex) else { break }
            let inner = rest[open.upperBound..<close.lowerBound]
            tags.append(triple ? "&" + inner.dropFirst() : String(inner).trimmingCharacters(in: .whitespaces))
            rest = rest[close.upperBound...]
        }
        return tags
    }
}
