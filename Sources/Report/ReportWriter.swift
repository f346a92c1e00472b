import Foundation
import MNIST
import Plotting

/// Renders a run's results into a report folder: `index.html` (self-contained: figures as
/// inline SVG, styles embedded), every figure as SVG and PNG beside it, and `results.json`.
/// The folder is assembled under a temporary name and swapped in at the end, so a failure
/// leaves the previous report as it was.
public struct ReportWriter {
    public var templates: StrictTemplates
    public var test: MNISTSplit

    public init(templates: StrictTemplates, test: MNISTSplit) { (self.templates, self.test) = (templates, test) }

    /// Writes the report for `results` into `folder`; `extra` adds values to the template context
    /// (a comparison with a baseline, for instance); `attachments` are copied in by name.
    public func write(_ results: ResultsDocument, to folder: String, extra: [String: Any] = [:],
                      attachments: [String: String] = [:]) throws {
        let manager = FileManager.default
        let url = URL(fileURLWithPath: folder).standardizedFileURL
        let parent = url.deletingLastPathComponent()
        do {
            try manager.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw ReportError("cannot create \(parent.path): \(error.localizedDescription)")
        }
        let staging = parent.appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
        try? manager.removeItem(at: staging)
        try manager.createDirectory(at: staging, withIntermediateDirectories: true)
        do {
            let figures = ReportFigures.make(results, test: test)
            var svgs: [String: String] = [:]
            for figure in figures {
                let base = staging.appendingPathComponent(figure.id).path
                try render(figure.figure, svgTo: base + ".svg", pngTo: base + ".png")
                svgs[figure.id] = try svgString(figure.figure, idPrefix: figure.id)
            }
            var extra = extra
            if extra["comparison"] == nil { extra["comparison"] = ["present": false] }
            let context = ReportViewModel.make(results, figures: figures, svgs: svgs, extra: extra)
            let html = try templates.render("index", context)
            try Data(html.utf8).write(to: staging.appendingPathComponent("index.html"))
            try results.encoded().write(to: staging.appendingPathComponent("results.json"))
            for (name, source) in attachments {
                try manager.copyItem(atPath: source, toPath: staging.appendingPathComponent(name).path)
            }
        } catch {
            try? manager.removeItem(at: staging)
            throw error
        }
        // Swap the finished folder in: the old one is moved aside first and removed last.
        let old = parent.appendingPathComponent(".\(url.lastPathComponent).old-\(ProcessInfo.processInfo.processIdentifier)")
        if manager.fileExists(atPath: url.path) { try manager.moveItem(at: url, to: old) }
        do {
            try manager.moveItem(at: staging, to: url)
        } catch {
            if manager.fileExists(atPath: old.path) { try? manager.moveItem(at: old, to: url) }
            throw ReportError("cannot move the new report into \(url.path): \(error.localizedDescription)")
        }
        try? manager.removeItem(at: old)
    }
}
