import Foundation

/// A tick on an axis: its data value and its label.
public struct Tick: Hashable, Sendable {
    public var value: Double
    public var label: String

    public init(value: Double, label: String) {
        self.value = value
        self.label = label
    }

    /// The decimals that tell apart ticks `step` apart: none for a step of 1 or more,
    /// 2 for 0.01, 0.02 or 0.05, and so on (at most 10).
    public static func decimals(forStep step: Double) -> Int {
        guard step > 0, step.isFinite else { return 0 }
        return min(10, max(0, Int((-log10(step) - 1e-9).rounded(.up))))
    }

    /// `value` with the decimals of `step`, and never a "−0". A step of 0 (a lone tick)
    /// prints up to 4 significant decimals.
    public static func label(_ value: Double, step: Double) -> String {
        if step == 0 {
            var text = String(format: "%.4f", value)
            while text.contains(".") && (text.hasSuffix("0") || text.hasSuffix(".")) { text.removeLast() }
            return text == "-0" ? "0" : text
        }
        let text = String(format: "%.\(decimals(forStep: step))f", value)
        return text.allSatisfy({ "-0.".contains($0) }) ? text.replacingOccurrences(of: "-", with: "") : text
    }
}
