import Foundation
import Architecture

/// The one way numbers are written in the report, its comparison section and `compare`'s
/// tables: accuracies to four decimals, differences with a true minus sign, counts grouped by
/// thousands, L2 factors as the notebook writes them.
public enum NumberFormat {
    /// An accuracy or loss to four decimals: 0.9731.
    public static func accuracy(_ x: Double) -> String { fixed(x, 4) }
    /// Five decimals, for the sweep's means and standard deviations: 0.98177.
    public static func accuracy5(_ x: Double) -> String { fixed(x, 5) }
    /// A fraction as a percentage with two decimals: "97.31 %".
    public static func percent(_ x: Double) -> String { fixed(x, 2, scale: 2) + " %" }
    /// A whole percentage: "42 %".
    public static func wholePercent(_ x: Double) -> String { fixed(x, 0, scale: 2) + " %" }

    /// A difference with its sign, a true minus, and "±0.0000" for what rounds to zero.
    public static func signed(_ x: Double, _ digits: Int = 4) -> String {
        let text = fixed(x, digits)
        if text.allSatisfy({ $0 == "0" || $0 == "." || $0 == "-" }) { return "±" + fixed(0, digits) }
        return text.hasPrefix("-") ? "−" + text.dropFirst() : "+" + text
    }

    /// A plain number with a true minus sign and `digits` decimals: "−1.6".
    public static func decimal(_ x: Double, _ digits: Int = 1) -> String {
        fixed(x, digits).replacingOccurrences(of: "-", with: "−")
    }

    /// The one rounding rule of the report: x · 10^scale to `digits` decimals, halves away from
    /// zero, on the shortest decimal that reads back as x (so 0.425 is the half it looks like,
    /// not the binary 0.42499…). An exact half is therefore rounded the same way wherever it is.
    public static func fixed(_ x: Double, _ digits: Int, scale: Int = 0) -> String {
        guard x.isFinite, var value = Decimal(string: "\(x)", locale: Locale(identifier: "en_US_POSIX")) else { return "\(x)" }
        if scale != 0 { value = value * Decimal(sign: .plus, exponent: scale, significand: 1) }
        var rounded = Decimal()
        NSDecimalRound(&rounded, &value, digits, .plain)
        var text = NSDecimalNumber(decimal: rounded).stringValue
        if text == "-0" { text = "0" }
        // stringValue drops trailing zeros: pad to exactly `digits` decimals.
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        guard digits > 0 else { return String(parts[0]) }
        return String(parts[0]) + "." + fraction + String(repeating: "0", count: max(0, digits - fraction.count))
    }

    /// A p-value: "0.020", "< 0.001".
    public static func pValue(_ p: Double?) -> String {
        guard let p, p.isFinite else { return "–" }
        if p < 0.001 { return "< 0.001" }
        return fixed(p, p < 0.01 ? 4 : 3)
    }

    /// A p-value as a clause of prose: "p = 0.020", "p < 0.001".
    public static func pClause(_ p: Double?) -> String {
        let text = pValue(p)
        return text.hasPrefix("<") ? "p " + text : "p = " + text
    }

    /// A small count in words, as prose writes it: "no", "one", … "ten", then digits.
    public static func words(_ n: Int) -> String {
        let names = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
        return (0..<names.count).contains(n) ? names[n] : String(n)
    }

    /// A number of epochs that agrees in number: "1 epoch", "20 epochs".
    public static func epochs(_ n: Int) -> String { n == 1 ? "1 epoch" : "\(n) epochs" }

    /// Items joined as prose: "a", "a and b", "a, b and c".
    public static func list(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " and " + items.last!
    }

    /// A count grouped by thousands: 60,000.
    public static func count(_ n: Int) -> String { ModelDescription.grouped(n) }

    /// Seconds, "–" for a value no clock gives (negative, not finite).
    public static func seconds(_ x: Double) -> String {
        guard x.isFinite, x >= 0 else { return "–" }
        return x >= 10 ? String(format: "%.0f s", x) : String(format: "%.2f s", x)
    }

    /// A duration in seconds as "42 s" or "16 min 38 s"; "–" for a value no clock gives, and
    /// whole days beyond what a build takes stay in seconds rather than overflow an integer.
    public static func duration(_ x: Double) -> String {
        guard x.isFinite, x >= 0 else { return "–" }
        guard x >= 90 else { return String(format: "%.0f s", x) }
        guard x < 1e9 else { return String(format: "%.3g s", x) }
        let whole = Int(x)
        return "\(whole / 60) min \(whole % 60) s"
    }

    /// An L2 factor as the notebook writes it: 1e-5, 2.5075e-4, 0.01.
    public static func factor(_ f: Float) -> String { factor(Double(f)) }

    public static func factor(_ value: Double) -> String {
        guard value != 0, abs(value) < 0.01 else { return String(format: "%g", value) }
        let parts = String(format: "%.4e", value).split(separator: "e")
        var mantissa = String(parts[0])
        while mantissa.hasSuffix("0") { mantissa.removeLast() }
        if mantissa.hasSuffix(".") { mantissa.removeLast() }
        return "\(mantissa)e\(Int(parts[1]) ?? 0)"
    }

    /// A count of items from a fraction of them (`fraction` × `total`, rounded), clamped to
    /// 0…`total` so that no stored number can overflow the conversion.
    public static func items(_ fraction: Double, of total: Int) -> Int {
        guard fraction.isFinite else { return 0 }
        return Int((min(max(fraction, 0), 1) * Double(total)).rounded())
    }
}
