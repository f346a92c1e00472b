/// Bounds within which a model described by data (a saved file's metadata) is built.
///
/// A model file is what users share, so its architecture is untrusted: every size it implies is
/// computed here with overflow-checked arithmetic and compared with these bounds before any
/// layer is made or any buffer allocated. The bounds are far above any MNIST model (LeNet-5 has
/// 61,706 parameters and at most 4,704 values per item in a layer) and far below what would
/// exhaust a machine's memory or wrap an `Int`.
public struct ArchitectureLimits: Sendable {
    /// The most layers.
    public var layers = 256
    /// The largest size of any dimension of an item in any layer (height, width, channels, units).
    public var dimension = 1 << 16
    /// The most values of one item in any layer's input or output (16 Mi floats, 64 MiB).
    public var valuesPerItem = 1 << 24
    /// The most weights in all, trainable or not (128 Mi floats, 512 MiB).
    public var parameters = 1 << 27
    /// The largest window side (kernel, pool), stride and padding.
    public var window = 1 << 10
    /// The most multiply-accumulates of one item's forward pass (4 Gi: seconds, not hours, per image).
    public var multiplyAccumulates = 1 << 32

    public init() {}

    /// The bounds every model read from a file is held to.
    public static let standard = ArchitectureLimits()

    /// One weight of a layer: its Keras name, shape, and whether optimisers train it.
    public struct Weight: Equatable, Sendable {
        public var name: String
        public var shape: [Int]
        public var trainable: Bool
    }

    /// What a checked architecture will be once built.
    public struct Checked: Sendable {
        /// The shape of one output item.
        public var outputShape: [Int]
        /// The number of trainable values.
        public var parameters: Int
        /// The number of non-trainable values (moving statistics).
        public var nonTrainable: Int
        /// Per layer, its weights in Keras's order (kernel, bias; gamma, beta, moving_mean, moving_variance).
        public var weights: [[Weight]]
        /// Per layer, the shape of one output item.
        public var outputShapes: [[Int]]
    }

    /// Checks `layers` applied to items of `inputShape`, layer by layer, and returns what the
    /// model will be.
    /// - Throws: `ArchitectureError` naming the layer (counted from 1), the field,
    ///   the value found and the bound it breaks.
    public func check(_ layers: [LayerConfiguration], inputShape: [Int]) throws -> Checked {
        guard !layers.isEmpty else { throw ArchitectureError("the architecture lists no layer") }
        guard layers.count <= self.layers else {
            throw ArchitectureError("the architecture lists \(layers.count) layers, more than the \(self.layers) accepted")
        }
        guard (1...3).contains(inputShape.count) else {
            throw ArchitectureError("input shape \(inputShape) must have 1 to 3 dimensions")
        }
        var shape = try checkedItem(inputShape, what: "input shape")
        var (total, trainable, work) = (0, 0, 0)
        var weights: [[Weight]] = [], outputShapes: [[Int]] = []
        for (index, layer) in layers.enumerated() {
            let label = "layer \(index + 1) (\(layer.typeName))"
            if let problem = layer.problem { throw ArchitectureError("\(label): \(problem)") }
            let (output, layerWeights) = try step(layer, input: shape, label: label)
            weights.append(layerWeights)
            var (count, all) = (0, 0)
            for weight in layerWeights {
                let size = try product(weight.shape, what: "\(label): \(weight.name) size")
                all = try sum(all, size, what: "\(label): weight count")
                if weight.trainable { count = try sum(count, size, what: "\(label): parameter count") }
            }
            shape = try checkedItem(output, what: "\(label): output shape")
            outputShapes.append(shape)
            total = try sum(total, all, what: "the weights")
            trainable += count
            // Each kernel value meets every output position once (Dense: one position).
            let positions = layer.isConvolution ? shape[0] * shape[1] : 1
            let layerWork = try product([count, positions], what: "\(label): work", bound: multiplyAccumulates,
                                        unit: "multiply-accumulates per item")
            let (sumWork, overflow) = work.addingReportingOverflow(layerWork)
            guard !overflow, sumWork <= multiplyAccumulates else {
                throw ArchitectureError("the model takes more than the \(multiplyAccumulates) multiply-accumulates per item accepted")
            }
            work = sumWork
        }
        return Checked(outputShape: shape, parameters: trainable, nonTrainable: total - trainable, weights: weights,
                       outputShapes: outputShapes)
    }

    /// One layer's output shape and weights for `input` (already within bounds).
    private func step(_ layer: LayerConfiguration, input: [Int], label: String) throws -> ([Int], [Weight]) {
        func trainable(_ kernel: [Int], _ bias: [Int]) -> [Weight] {
            [Weight(name: "kernel", shape: kernel, trainable: true), Weight(name: "bias", shape: bias, trainable: true)]
        }
        func image() throws -> (Int, Int, Int) {
            guard input.count == 3 else {
                throw ArchitectureError("\(label) expects (height, width, channels) items, got shape \(input)")
            }
            return (input[0], input[1], input[2])
        }
        func window(_ name: String, _ value: Int) throws {
            guard value <= self.window else {
                throw ArchitectureError("\(label): \(name) is \(value), more than the \(self.window) accepted")
            }
        }
        switch layer {
        case .flatten:
            return ([try product(input, what: "\(label): output", bound: valuesPerItem, unit: "values per item")], [])
        case .dropout:
            return (input, [])
        case let .dense(units, _, _):
            guard input.count == 1 else {
                throw ArchitectureError("\(label) expects a flat vector (add Flatten first), got shape \(input)")
            }
            guard units <= dimension else {
                throw ArchitectureError("\(label): units is \(units), more than the \(dimension) accepted")
            }
            return ([units], trainable([input[0], units], [units]))
        case let .conv2D(filters, kernelSize, strides, padding, _, _):
            let (height, width, channels) = try image()
            try window("kernel size", kernelSize)
            try window("strides", strides)
            guard filters <= dimension else {
                throw ArchitectureError("\(label): filters is \(filters), more than the \(dimension) accepted")
            }
            let rows = padding.geometry(input: height, kernel: kernelSize, stride: strides)
            let columns = padding.geometry(input: width, kernel: kernelSize, stride: strides)
            guard rows.output > 0, columns.output > 0 else {
                throw ArchitectureError(
                    "\(label): a \(kernelSize) × \(kernelSize) kernel with '\(padding.rawValue)' padding leaves no output for \(height) × \(width) items")
            }
            return ([rows.output, columns.output, filters], trainable([kernelSize, kernelSize, channels, filters], [filters]))
        case let .zeroPadding2D(padding):
            let (height, width, channels) = try image()
            try window("padding", padding)
            return ([height + 2 * padding, width + 2 * padding, channels], [])
        case let .averagePooling2D(poolSize, strides), let .maxPooling2D(poolSize, strides):
            let (height, width, channels) = try image()
            try window("pool size", poolSize)
            try window("strides", strides)
            guard height >= poolSize, width >= poolSize else {
                throw ArchitectureError("\(label): a \(poolSize) × \(poolSize) pool does not fit \(height) × \(width) items")
            }
            let rows = Padding.valid.geometry(input: height, kernel: poolSize, stride: strides)
            let columns = Padding.valid.geometry(input: width, kernel: poolSize, stride: strides)
            return ([rows.output, columns.output, channels], [])
        case .batchNormalization:
            // Any item shape: the channels are its last axis (Conv2D's filters, Dense's units).
            let channels = [input.last!]
            return (input, [Weight(name: "gamma", shape: channels, trainable: true),
                            Weight(name: "beta", shape: channels, trainable: true),
                            Weight(name: "moving_mean", shape: channels, trainable: false),
                            Weight(name: "moving_variance", shape: channels, trainable: false)])
        case .randomTranslation, .randomRotation:
            _ = try image()
            return (input, [])
        }
    }

    /// `shape` when every dimension is within bounds and so is its number of values.
    private func checkedItem(_ shape: [Int], what: String) throws -> [Int] {
        for size in shape where !(1...dimension).contains(size) {
            throw ArchitectureError("\(what) \(shape): every dimension must lie in 1…\(dimension)")
        }
        _ = try product(shape, what: "\(what) \(shape)", bound: valuesPerItem, unit: "values per item")
        return shape
    }

    /// The product of `factors`, when it stays within `bound`.
    private func product(_ factors: [Int], what: String, bound: Int? = nil, unit: String = "values") throws -> Int {
        let bound = bound ?? parameters
        var result = 1
        for factor in factors {
            let (value, overflow) = result.multipliedReportingOverflow(by: factor)
            guard !overflow, value <= bound else {
                throw ArchitectureError("\(what) holds more than the \(bound) \(unit) accepted")
            }
            result = value
        }
        return result
    }

    private func sum(_ a: Int, _ b: Int, what: String) throws -> Int {
        let (value, overflow) = a.addingReportingOverflow(b)
        guard !overflow, value <= parameters else {
            throw ArchitectureError("\(what) exceeds the \(parameters) accepted")
        }
        return value
    }
}

/// Why an architecture cannot be built: the layer (counted from 1), the field, the value found
/// and the bound it breaks, in words.
public struct ArchitectureError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
