import Foundation
import MNIST
import Plotting
import Rendering
import Results

extension FuzzTarget {
    /// Bytes as a `results.json`: decoded and validated; a document that passes is rendered as
    /// `render` does, to strings only: every figure as SVG, the view model, `index.mustache`.
    /// A failure to render a validated document is an error the user would see (expected);
    /// with `FUZZ_STRICT=1` it stops the process, since validation should let through only
    /// documents the report can show.
    static func results(_ bytes: [UInt8]) -> String {
        let document: ResultsDocument
        do {
            document = try ResultsDocument.decode(Data(bytes), source: "fuzz")
        } catch {
            return rejected(error)
        }
        let fixture = ReportFixture.shared
        do {
            let test = fixture.test
            let document = document.testSet == nil
                ? document.recordingFigureImages(labels: test.labels) { Array(test.image($0)) } : document
            let figures = ReportFigures.make(document)
            var svgs: [String: String] = [:]
            for figure in figures {
                svgs[figure.id] = try svgString(figure.figure, idPrefix: figure.id)
            }
            let context = ReportViewModel.make(document, figures: figures, svgs: svgs, labels: document.testSet?.labelValues ?? [])
            let html = try ReportViewModel.render(context, templates: fixture.templates)
            guard !html.isEmpty else { fatalError("index.mustache rendered nothing") }
            return "accepted: \(document.trainings.count) trainings, \(figures.count) figures, \(html.utf8.count) bytes of HTML"
        } catch {
            if strict { fatalError("a validated document cannot be rendered: \(error)") }
            return "validated but not rendered: \(error)"
        }
    }
}

/// What rendering a report needs besides the results, built once per process. Unchecked:
/// `StrictTemplates` is not `Sendable`, and libFuzzer calls the harness from one thread only.
struct ReportFixture: @unchecked Sendable {
    /// The report's templates, from `templates/` in the current directory (the package root),
    /// or from `$FUZZ_TEMPLATES`.
    let templates: StrictTemplates
    /// A stand-in for the MNIST test split: 10,000 blank images labelled 0, 1, …, 9, 0, …
    let test: MNISTSplit

    static let shared: ReportFixture = {
        let directory = ProcessInfo.processInfo.environment["FUZZ_TEMPLATES"] ?? "templates"
        do {
            let templates = try StrictTemplates(directory: directory)
            let count = ResultsDocument.Limits.testImages
            let test = MNISTSplit(pixels: [UInt8](repeating: 0, count: count * MNISTSplit.rows * MNISTSplit.columns),
                                  labels: (0..<count).map { UInt8($0 % 10) })
            return ReportFixture(templates: templates, test: test)
        } catch {
            FuzzTarget.fail("the results target renders with the report's templates: \(error) (run from the package root or set FUZZ_TEMPLATES)")
        }
    }()
}
