import Files
import Foundation
import Pipeline
import Rendering
import Results

/// A report rendered again from its `results.json` alone, e.g. after a template was edited, or
/// from a results file of an earlier commit put in a folder of its own. Results of schemas 1 and
/// 2 record no test images: they are completed from the data set whose checksum they record.
///
/// `mnist-report render` parses its options into this value and calls `run`.
public struct ReportRender {
    public var folder: String
    public var templatesDirectory: String
    /// The MNIST folder, read only for results of schemas 1 and 2; nil for `$MNIST_DATA_DIR`,
    /// else the embedded copy.
    public var dataDirectory: String?

    public init(folder: String, templatesDirectory: String, dataDirectory: String?) {
        (self.folder, self.templatesDirectory, self.dataDirectory) = (folder, templatesDirectory, dataDirectory)
    }

    /// Renders the report, saying what it does through `log`.
    /// - Throws: `ReportError` naming the folder, the file or the field at fault; the folder is
    ///   then as it was.
    public func run(log: (String) -> Void) throws {
        let started = Date()
        guard !folder.isEmpty else { throw ReportError("the report folder is empty (\"\"); give the folder that holds results.json") }
        if let kind = InputFile.kind(folder), kind != .directory {
            throw ReportError("\(folder) is \(kind.phrase), not a report folder; give the folder that holds results.json")
        }
        // A folder the tool did not write is refused before anything is read or written; one
        // holding nothing but a results.json is adopted (its marker written just before rendering).
        let target = ReportFolder(folder)
        let adopting = target.holdsResultsAlone
        if !adopting { _ = try target.foreignEntries() }
        let resultsPath = (folder as NSString).appendingPathComponent("results.json")
        var results = try ResultsDocument.read(path: resultsPath)
        let templates = try StrictTemplates(directory: templatesDirectory)
        if results.testSet == nil {
            // Results of schema 1 and 2 hold no test images: they are taken from the data set
            // the build read, found by its checksum, and recorded in the rewritten results.json.
            let dataset = try ReportBuild.loadData(dataDirectory)
            guard dataset.checksum == results.run.datasetChecksum else {
                throw ReportError("\(resultsPath) (schema \(results.schemaVersion)) records no test images, and the data set read "
                    + "(\(dataDirectory ?? "the embedded copy"), checksum \(dataset.checksum.prefix(16))…) is not the one it was built from "
                    + "(\(results.run.datasetChecksum.prefix(16))…); give that MNIST folder with --data-dir")
            }
            log("\(resultsPath) is of schema \(results.schemaVersion): its test labels and figure images are taken from the data set")
            results = results.recordingFigureImages(labels: dataset.test.labels) { Array(dataset.test.image($0)) }
        }
        // A hand-edited accuracy is refused here as compare refuses it: the page would show it.
        try results.checkPredictions(labels: results.testSet?.labelValues ?? [], source: resultsPath)
        if adopting, try target.adoptResultsAlone() {
            log("\(folder) holds only results.json: its report is rendered beside it")
        }
        let swap: ReportFolder.Swap
        do {
            // Files that are not rendered (the saved models) are copied into the new folder from the
            // old one, which the writer only moves aside after the new folder is complete; a file of
            // the user's under such a name is the user's, not a saved model.
            let users = Set(try target.foreignEntries() ?? [])
            let attachments = ReportAssembly.attachments(inFolder: folder).filter { !users.contains($0.key) }
            swap = try ReportWriter(templates: templates).write(results, to: folder, attachments: attachments)
        } catch {
            if adopting { target.abandonAdoption() }
            throw error
        }
        for line in swap.lines(in: folder) { log(line) }
        log("Re-rendered \(folder)/index.html in \(ReportBuild.decimal(Date().timeIntervalSince(started))) s")
    }
}
