import Foundation
import NeuralEngine

/// Prints training progress as Keras's `fit(verbose=1)` does: a live bar with ETA on a terminal,
/// one line per epoch otherwise.
final class ProgressPrinter {
    let isTerminal = isatty(STDOUT_FILENO) != 0
    private var lastDraw = 0.0
    private let prefix: String
    private let console: Console

    /// `prefix` starts every line (to tell trainings apart in a build); lines go to `console`.
    init(prefix: String = "", console: Console) { (self.prefix, self.console) = (prefix, console) }

    var callbacks: FitCallbacks {
        FitCallbacks(batchEnded: { [self] in batchEnded($0) }, epochEnded: { [self] in epochEnded($0) })
    }

    private func batchEnded(_ p: FitProgress) {
        guard isTerminal else { return }
        if p.batch < p.batches, p.elapsed - lastDraw < 0.1, p.batch > 1 { return }
        lastDraw = p.elapsed
        let width = 24
        let filled = p.batch * width / p.batches
        let bar = String(repeating: "━", count: filled) + String(repeating: "─", count: width - filled)
        let eta = p.elapsed / Double(p.batch) * Double(p.batches - p.batch)
        let count = String(p.batch).leftPadded(to: String(p.batches).count)
        write("\r\u{1B}[2K\(prefix)Epoch \(p.epoch)/\(p.epochs) \(count)/\(p.batches) \(bar) ETA \(format(eta, 1))s - loss: \(format(p.loss, 4)) - accuracy: \(format(p.accuracy, 4))")
    }

    private func epochEnded(_ e: EpochSummary) {
        write((isTerminal ? "\r\u{1B}[2K" : "") + prefix + e.line + "\n")
        lastDraw = 0
    }

    private func write(_ text: String) { console.write(text) }
}

/// `value` with exactly `digits` decimals.
func format(_ value: Double, _ digits: Int) -> String {
    String(format: "%.\(digits)f", value)
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
