import Results
import Files
import Foundation
import Mustache

/// Templates rendered with swift-mustache, after a check that every placeholder they use has
/// a value: Mustache itself renders a missing value as nothing, which would hide a typo or a
/// number the run did not produce. The view model is a `TemplateValue` (objects, lists, text and
/// flags), so the check can walk it exactly as Mustache will.
public struct StrictTemplates {
    public let directory: String
    private let sources: [String: String]
    private let library: MustacheLibrary

    /// The largest template read: the project's biggest is about 12 KB.
    public static let maximumTemplateSize = 1 << 20

    /// Loads every `*.mustache` file of `directory`.
    /// - Throws: `ReportError` naming the folder, the template that cannot be read or does not
    ///   parse, or a template that includes itself (directly or through others), which would
    ///   recurse until the stack overflows.
    public init(directory: String) throws {
        self.directory = directory
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".mustache") }.sorted()
        } catch {
            let reason = InputFile.kind(directory).map { "it is \($0.phrase)" } ?? FileProblem.describe(error)
            throw ReportError("templates folder \(directory) cannot be read (\(reason)); pass --templates DIR")
        }
        guard !files.isEmpty else { throw ReportError("templates folder \(directory) holds no .mustache files") }
        var sources: [String: String] = [:]
        var library = MustacheLibrary()
        for file in files {
            let name = String(file.dropLast(".mustache".count))
            let path = (directory as NSString).appendingPathComponent(file)
            let bytes: [UInt8]
            do {
                bytes = try InputFile.read(path, limit: Self.maximumTemplateSize, what: "a template")
            } catch let problem as FileProblem {
                throw ReportError(problem.description)
            }
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw ReportError("\(path): cannot be read as UTF-8 text")
            }
            do {
                try library.register(text, named: name)
            } catch let error as MustacheTemplate.ParserError {
                let at = "line \(error.context.lineNumber), column \(error.context.columnNumber)"
                throw ReportError("\(path): not a valid Mustache template (\(at): \(Self.syntaxProblem(error.error)))")
            } catch {
                throw ReportError("\(path): not a valid Mustache template")
            }
            sources[name] = text
        }
        if let cycle = Self.inclusionCycle(in: sources) {
            let path = (directory as NSString).appendingPathComponent(cycle[0] + ".mustache")
            throw ReportError("\(path) includes itself through \(cycle.joined(separator: " → ")): a template cannot include itself, directly or through others")
        }
        self.sources = sources
        self.library = library
    }

    /// swift-mustache's parse errors in words.
    static func syntaxProblem(_ error: any Error) -> String {
        switch error as? MustacheTemplate.Error {
        case .sectionCloseNameIncorrect: return "a section ends under another name than it began"
        case .unfinishedName: return "a tag is not finished"
        case .expectedSectionEnd: return "a section is not closed"
        case .invalidSetDelimiter: return "a set-delimiter tag is malformed"
        case .transformAppliedToInheritanceSection, .illegalTokenInsideInheritSection, .textInsideInheritSection:
            return "an inheritance section holds something it cannot"
        case .invalidConfigVariableSyntax, .unrecognisedConfigVariable: return "a configuration tag is malformed or unknown"
        default: return "a syntax error"
        }
    }

    /// The templates each template includes: its partials (`{{> name}}`) and parents (`{{< name}}`).
    static func inclusions(in source: String) -> [String] {
        tags(in: source).compactMap { tag -> String? in
            guard tag.first == ">" || tag.first == "<" else { return nil }
            let name = tag.dropFirst().trimmingCharacters(in: .whitespaces)
            return name.isEmpty || name.hasPrefix("*") ? nil : name   // `{{>*name}}` is dynamic
        }
    }

    /// The first cycle of inclusions among `sources`, as the names along it, starting and ending
    /// with the same template (`["2.4", "2.4"]`, `["a", "b", "a"]`); nil when there is none.
    /// A depth-first walk in name order, so the answer is the same on every machine.
    static func inclusionCycle(in sources: [String: String]) -> [String]? {
        let edges = sources.mapValues { inclusions(in: $0) }
        var finished = Set<String>()
        var path: [String] = []
        func visit(_ name: String) -> [String]? {
            if let start = path.firstIndex(of: name) { return Array(path[start...]) + [name] }
            guard !finished.contains(name), let next = edges[name] else { return nil }
            path.append(name)
            for child in next {
                if let cycle = visit(child) { return cycle }
            }
            path.removeLast()
            finished.insert(name)
            return nil
        }
        for name in sources.keys.sorted() {
            if let cycle = visit(name) { return cycle }
        }
        return nil
    }

    /// Renders template `name` with `context` after checking every placeholder it reaches.
    public func render(_ name: String, _ context: TemplateValue) throws -> String {
        try check(name, stack: [context], visiting: [])
        guard let output = library.render(context.mustache, withTemplate: name) else {
            throw ReportError("template \(name).mustache not found in \(directory)")
        }
        return output
    }

    /// Renders template `name` with a typed view model (see `TemplateValue.init(_:)`).
    public func render(_ name: String, viewModel: Any) throws -> String {
        try render(name, TemplateValue(viewModel))
    }

    /// Walks the template's tags with a context stack, as Mustache resolves names.
    func check(_ name: String, stack: [TemplateValue], visiting: Set<String>) throws {
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
                    let skip = skipping > 0 || (kind == "^" && value?.isTruthy == true)
                    sections.append((key, false, skip))
                    if skip { skipping += 1 }
                    continue
                }
                switch value {
                case let value? where !value.isTruthy:
                    sections.append((key, false, true))
                    skipping += 1
                case let .list(items)?:
                    stack.append(items[0])
                    sections.append((key, true, false))
                case .flag?:
                    sections.append((key, false, false))
                case let value?:
                    stack.append(value)
                    sections.append((key, true, false))
                case nil:
                    break
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

    /// Looks `key` (dotted or not) up as Mustache does: its first part in the innermost
    /// context that has it, the rest inside that value.
    func resolve(_ key: String, in stack: [TemplateValue]) -> TemplateValue? {
        if key == "." { return stack.last }
        let parts = key.split(separator: ".").map(String.init)
        for context in stack.reversed() {
            guard var value = context[parts[0]] else { continue }
            for part in parts.dropFirst() {
                guard let next = value[part] else { return nil }
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
