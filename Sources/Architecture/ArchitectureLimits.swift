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
            let (output, layerWeights) = try layer.shapeAndWeights(input: shape, limits: self, label: label)
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

    /// `shape` when every dimension is within bounds and so is its number of values.
    private func checkedItem(_ shape: [Int], what: String) throws -> [Int] {
        for size in shape where !(1...dimension).contains(size) {
            throw ArchitectureError("\(what) \(shape): every dimension must lie in 1…\(dimension)")
        }
        _ = try product(shape, what: "\(what) \(shape)", bound: valuesPerItem, unit: "values per item")
        return shape
    }

    /// The product of `factors`, when it stays within `bound`.
    func product(_ factors: [Int], what: String, bound: Int? = nil, unit: String = "values") throws -> Int {
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
