import Results
import Files
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Plotting

/// Renders a run's results into a report folder: `index.html` (self-contained: figures as
/// inline SVG, styles embedded), every figure as SVG and PNG beside it, and `results.json`.
/// The folder is assembled under a temporary name and swapped in at the end, so a failure
/// leaves the previous report as it was (see `ReportFolder`).
public struct ReportWriter {
    public var templates: StrictTemplates

    public init(templates: StrictTemplates) { self.templates = templates }

    /// Writes the report for `results` into `folder`, with its `comparison` with a baseline if
    /// any; `attachments` are copied in by name.
    /// The folder's rules (what may be replaced, what is kept) are `ReportFolder`'s; its checks
    /// (`checkBeforeWork`) run again here, before rendering.
    /// - Returns: what the swap did with the files in the folder that the tool did not write.
    @discardableResult
    public func write(_ results: ResultsDocument, to folder: String, comparison: ComparisonView? = nil,
                      attachments: [String: String] = [:]) throws -> ReportFolder.Swap {
        let manager = FileManager.default
        let target = ReportFolder(folder)
        _ = try target.checkBeforeWork(writing: ReportFolder.fileNames(experiments: Set(results.trainings.map(\.id))))
        do {
            try manager.createDirectory(atPath: target.parent, withIntermediateDirectories: true)
        } catch {
            throw ReportError("cannot create \(target.parent): \(FileProblem.describe(error))")
        }
        let staging = TemporaryName.beside(target.path)
        do {
            try manager.createDirectory(atPath: staging, withIntermediateDirectories: false)
        } catch {
            throw ReportError("cannot create a folder beside \(folder): \(FileProblem.describe(error))")
        }
        do {
            guard let testSet = results.testSet else {
                throw ReportError("the results record no test set (labels and images, schema 3): complete them from the data set before rendering (ResultsDocument.recordingTestSet)")
            }
            let figures = ReportFigures.make(results)
            var svgs: [String: String] = [:]
            for figure in figures {
                let base = (staging as NSString).appendingPathComponent(figure.id)
                try render(figure.figure, svgTo: base + ".svg", pngTo: base + ".png")
                svgs[figure.id] = try svgString(figure.figure, idPrefix: figure.id)
            }
            let context = ReportViewModel.make(results, figures: figures, svgs: svgs, labels: testSet.labelValues,
                                               attachments: attachments.keys.sorted(), comparison: comparison)
            let html = try ReportViewModel.render(context, templates: templates)
            try OutputFile.write(Array(html.utf8), to: (staging as NSString).appendingPathComponent("index.html"))
            try OutputFile.write(results.encoded(), to: (staging as NSString).appendingPathComponent("results.json"))
            for (name, source) in attachments.sorted(by: { $0.key < $1.key }) {
                try manager.copyItem(atPath: source, toPath: (staging as NSString).appendingPathComponent(name))
            }
            Self.keepModes(of: target.path, in: staging)
            return try target.install(staging)
        } catch {
            // Entries of the user's already moved into the staged folder go back.
            _ = target.settle(staging)
            throw error
        }
    }

    /// Gives each file of `staging` the permissions of the file it replaces in `folder`: a
    /// `results.json` the user made read-only stays read-only. New files keep the umask's.
    static func keepModes(of folder: String, in staging: String) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: staging)) ?? [] {
            var old = stat(), new = stat()
            let (before, after) = ((folder as NSString).appendingPathComponent(name), (staging as NSString).appendingPathComponent(name))
            guard lstat(before, &old) == 0, lstat(after, &new) == 0,
                  old.st_mode & S_IFMT == S_IFREG, new.st_mode & S_IFMT == S_IFREG else { continue }
            chmod(after, old.st_mode & 0o7777)
        }
    }
}
