/// A model described by its layers alone, without building it: each layer's Keras-style name,
/// type, output shape, weight counts and work, as the engine's built model would report them,
/// and Keras's summary table. The report reads models this way; the engine's `Sequential` prints
/// its summary through the same table.
public struct ModelDescription: Sendable {
    /// One layer's facts.
    public struct Layer: Sendable, Equatable {
        /// Unique in the model, as Keras names layers: `dense`, `dense_1`, `conv2d`, …
        public var name: String
        /// Keras's class name (`Dense`).
        public var type: String
        public var configuration: LayerConfiguration
        public var inputShape: [Int]
        public var outputShape: [Int]
        /// Trainable values, and non-trainable ones (moving statistics).
        public var parameters: Int
        public var nonTrainable: Int
        /// The shapes of the trainable weights, in Keras's order (kernel, then bias).
        public var trainableShapes: [[Int]]
        /// The multiply-accumulates of the layer's product for one item: each kernel value meets
        /// every output position once (Dense: one position); none for the other layers.
        public var multiplyAccumulates: Int

        /// Where the trainable count comes from, its weights' shapes multiplied out and summed:
        /// "784 × 64 + 64" for a dense layer, "5 × 5 × 1 × 6 + 6" for a convolution; nil for a
        /// layer without trainable weights.
        public var parameterFormula: String? {
            trainableShapes.isEmpty ? nil
                : trainableShapes.map { $0.map(ModelDescription.grouped).joined(separator: " × ") }.joined(separator: " + ")
        }
    }

    public var name: String
    public var inputShape: [Int]
    public var layers: [Layer]

    public var parameters: Int { layers.reduce(0) { $0 + $1.parameters } }
    public var nonTrainable: Int { layers.reduce(0) { $0 + $1.nonTrainable } }
    /// The side of the square of input values that one value after the last layer depends on,
    /// from the windows of the convolutions and pools (`LayerConfiguration.window`): each
    /// window widens the field by its side less one, in units of the steps of the layers below.
    public var receptiveField: Int {
        var (field, jump) = (1, 1)
        for window in layers.compactMap(\.configuration.window) {
            field += (window.side - 1) * jump
            jump *= window.strides
        }
        return field
    }

    /// The first layer with weights: a training step computes no input gradient below it.
    public var firstTrainableIndex: Int { layers.firstIndex { $0.parameters > 0 } ?? layers.count }

    /// The model of `configurations` on items of `inputShape`, checked against `limits`.
    /// - Throws: `ArchitectureError` as `ArchitectureLimits.check` does.
    public init(_ configurations: [LayerConfiguration], inputShape: [Int], name: String = "sequential",
                limits: ArchitectureLimits = .standard) throws {
        let checked = try limits.check(configurations, inputShape: inputShape)
        let names = Self.names(configurations.map(\.typeName))
        var shape = inputShape, layers: [Layer] = []
        for (index, configuration) in configurations.enumerated() {
            let output = checked.outputShapes[index], weights = checked.weights[index]
            let count = { (trainable: Bool) in
                weights.filter { $0.trainable == trainable }.reduce(0) { $0 + $1.shape.reduce(1, *) }
            }
            let kernel = weights.first { $0.name == "kernel" }.map { $0.shape.reduce(1, *) } ?? 0
            let positions = configuration.isConvolution ? output[0] * output[1] : 1
            layers.append(Layer(name: names[index], type: configuration.typeName, configuration: configuration, inputShape: shape,
                                outputShape: output, parameters: count(true), nonTrainable: count(false),
                                trainableShapes: weights.filter(\.trainable).map(\.shape), multiplyAccumulates: kernel * positions))
            shape = output
        }
        (self.name, self.inputShape, self.layers) = (name, inputShape, layers)
    }

    /// The floating-point operations of one epoch's matrix products: for each training item the
    /// forward product and, backward, the kernel gradient and (except for the first trainable
    /// layer, which computes no input gradient) the input gradient; for each validation item
    /// the forward product alone.
    public func epochFLOPs(trainItems: Int, testItems: Int) -> Double {
        layers.indices.reduce(0) { $0 + epochFLOPs(layer: $1, trainItems: trainItems, testItems: testItems) }
    }

    /// The part of `epochFLOPs` in layer `index`.
    public func epochFLOPs(layer index: Int, trainItems: Int, testItems: Int) -> Double {
        Self.epochFLOPs(multiplyAccumulates: layers[index].multiplyAccumulates, firstTrainable: index == firstTrainableIndex,
                        trainItems: trainItems, testItems: testItems)
    }

    /// One layer's part of an epoch's FLOPs, from its multiply-accumulates per item.
    public static func epochFLOPs(multiplyAccumulates: Int, firstTrainable: Bool, trainItems: Int, testItems: Int) -> Double {
        let macs = Double(multiplyAccumulates), backward = firstTrainable ? 1.0 : 2.0
        return 2 * macs * Double(trainItems + testItems) + 2 * macs * Double(trainItems) * backward
    }

    /// Keras's summary table of the model.
    public func summary() -> String {
        Self.summary(name: name, rows: layers.map { ($0.name, $0.type, $0.outputShape, $0.parameters + $0.nonTrainable) },
                     trainable: parameters, nonTrainable: nonTrainable)
    }

    /// Keras-style unique names for layers of these types, in order: the type in snake case,
    /// then `_1`, `_2`, … for its later layers.
    public static func names(_ types: [String]) -> [String] {
        var seen: [String: Int] = [:]
        return types.map { type in
            let base = snakeCase(type)
            let index = seen[base, default: 0]
            seen[base] = index + 1
            return index == 0 ? base : "\(base)_\(index)"
        }
    }

    /// "Conv2D" → "conv2d", "ZeroPadding2D" → "zero_padding2d".
    static func snakeCase(_ typeName: String) -> String {
        var result = ""
        let characters = Array(typeName)
        for (i, c) in characters.enumerated() {
            if c.isUppercase, i > 0, characters[i - 1].isLowercase { result += "_" }
            result += c.lowercased()
        }
        return result
    }

    /// A Keras-style summary table: each layer's name and type, output shape, and weight count
    /// (trainable or not, as Keras counts), then the totals, trainable and non-trainable (with
    /// their size as Float32).
    public static func summary(name: String, rows: [(name: String, type: String, outputShape: [Int], weights: Int)],
                               trainable: Int, nonTrainable fixed: Int) -> String {
        let cells = rows.map { row in
            ("\(row.name) (\(row.type))", "(None, " + row.outputShape.map(String.init).joined(separator: ", ") + ")", grouped(row.weights))
        }
        let w0 = max(31, cells.map(\.0.count).max() ?? 0 + 2), w1 = 22, w2 = 13
        func line(_ l: String, _ m: String, _ r: String, _ fill: String) -> String {
            l + String(repeating: fill, count: w0 + 2) + m + String(repeating: fill, count: w1 + 2) + m
                + String(repeating: fill, count: w2 + 2) + r
        }
        func pad(_ s: String, _ w: Int) -> String { s + String(repeating: " ", count: max(0, w - s.count)) }
        func padLeft(_ s: String, _ w: Int) -> String { String(repeating: " ", count: max(0, w - s.count)) + s }
        var out = ["Model: \"\(name)\"", line("┏", "┳", "┓", "━"),
                   "┃ \(pad("Layer (type)", w0)) ┃ \(pad("Output Shape", w1)) ┃ \(padLeft("Param #", w2)) ┃",
                   line("┡", "╇", "┩", "━")]
        for (i, cell) in cells.enumerated() {
            out.append("│ \(pad(cell.0, w0)) │ \(pad(cell.1, w1)) │ \(padLeft(cell.2, w2)) │")
            if i < cells.count - 1 { out.append(line("├", "┼", "┤", "─")) }
        }
        out.append(line("└", "┴", "┘", "─"))
        out.append(" Total params: \(grouped(trainable + fixed)) (\(bytes((trainable + fixed) * 4)))")
        out.append(" Trainable params: \(grouped(trainable)) (\(bytes(trainable * 4)))")
        out.append(" Non-trainable params: \(grouped(fixed)) (\(bytes(fixed * 4)))")
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

    /// A byte count as Keras prints it: "213.05 KB".
    static func bytes(_ count: Int) -> String {
        let units = ["B", "KB", "MB", "GB"]
        var value = Double(count), unit = 0
        while value >= 1024, unit < units.count - 1 { value /= 1024; unit += 1 }
        let hundredths = Int((value * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction) \(units[unit])"
    }
}
