extension Sequential {
    /// A Keras-style summary table: each layer's name and type, output shape, and weight count
    /// (trainable or not, as Keras counts), then the totals, trainable and non-trainable (with
    /// their size as Float32).
    public func summary() -> String {
        let rows = layers.map { layer in
            ("\(layer.name) (\(layer.typeName))",
             "(None, " + layer.outputShape.map(String.init).joined(separator: ", ") + ")",
             Self.grouped(layer.parameterCount + layer.nonTrainableCount))
        }
        let w0 = max(31, rows.map(\.0.count).max() ?? 0 + 2), w1 = 22, w2 = 13
        func line(_ l: String, _ m: String, _ r: String, _ fill: String) -> String {
            l + String(repeating: fill, count: w0 + 2) + m + String(repeating: fill, count: w1 + 2) + m
                + String(repeating: fill, count: w2 + 2) + r
        }
        func pad(_ s: String, _ w: Int) -> String { s + String(repeating: " ", count: max(0, w - s.count)) }
        func padLeft(_ s: String, _ w: Int) -> String { String(repeating: " ", count: max(0, w - s.count)) + s }
        var out = ["Model: \"\(name)\"", line("┏", "┳", "┓", "━"),
                   "┃ \(pad("Layer (type)", w0)) ┃ \(pad("Output Shape", w1)) ┃ \(padLeft("Param #", w2)) ┃",
                   line("┡", "╇", "┩", "━")]
        for (i, row) in rows.enumerated() {
            out.append("│ \(pad(row.0, w0)) │ \(pad(row.1, w1)) │ \(padLeft(row.2, w2)) │")
            if i < rows.count - 1 { out.append(line("├", "┼", "┤", "─")) }
        }
        out.append(line("└", "┴", "┘", "─"))
        let (trainable, fixed) = (parameterCount, nonTrainableCount)
        out.append(" Total params: \(Self.grouped(trainable + fixed)) (\(Self.bytes((trainable + fixed) * 4)))")
        out.append(" Trainable params: \(Self.grouped(trainable)) (\(Self.bytes(trainable * 4)))")
        out.append(" Non-trainable params: \(Self.grouped(fixed)) (\(Self.bytes(fixed * 4)))")
        return out.joined(separator: "\n")
    }

    /// 545810 → "545,810".
    public static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var result = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { result += "," }
            result.append(c)
        }
        return value < 0 ? "-" + result : result
    }

    static func bytes(_ count: Int) -> String {
        let units = ["B", "KB", "MB", "GB"]
        var value = Double(count), unit = 0
        while value >= 1024, unit < units.count - 1 { value /= 1024; unit += 1 }
        let hundredths = Int((value * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction) \(units[unit])"
    }
}
