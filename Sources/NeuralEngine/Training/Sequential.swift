import Dispatch

/// A stack of layers applied in order (Keras's `Sequential`).
///
/// ```swift
/// let model = Sequential([
///     Flatten(),
///     Dense(units: 64, activation: .relu),
///     Dense(units: 10, activation: .softmax),
/// ])
/// try model.build(inputShape: [28, 28, 1], using: &generator)
/// ```
public final class Sequential {
    public let layers: [any Layer]
    /// The shape of one input item, set by `build`.
    public private(set) var inputShape: [Int] = []
    public var name: String
    /// When set, every forward and backward pass adds each layer's wall-clock time to it.
    public var timings: LayerTimings? {
        didSet { timings?.reset(layers: layers.count) }
    }

    /// A model of `layers`; each gets a Keras-style name (`dense`, `dense_1`, …) unique in it.
    public init(_ layers: [any Layer], name: String = "sequential") {
        precondition(!layers.isEmpty, "a Sequential model needs at least one layer")
        self.layers = layers
        self.name = name
        for (layer, name) in zip(layers, ModelDescription.names(layers.map(\.typeName))) { layer.name = name }
    }

    /// A model rebuilt from configurations (as saved in a weights file's metadata).
    public convenience init(configurations: [LayerConfiguration], name: String = "sequential") {
        self.init(configurations.map { $0.makeLayer() }, name: name)
    }

    /// Creates every layer's parameters, in order, for items of `inputShape` (no batch dimension).
    /// - Throws: `EngineError.incompatibleShape` naming the first layer that cannot take its input.
    public func build(inputShape: [Int], using generator: inout some RandomNumberGenerator) throws {
        var shape = inputShape
        for layer in layers { shape = try layer.build(inputShape: shape, using: &generator) }
        self.inputShape = inputShape
    }

    public var isBuilt: Bool { !inputShape.isEmpty }

    /// The shape of one output item.
    public var outputShape: [Int] { layers.last!.outputShape }

    /// Every trainable parameter, layer by layer.
    public var parameters: [Parameter] { layers.flatMap(\.parameters) }

    /// The number of trainable values.
    public var parameterCount: Int { layers.reduce(0) { $0 + $1.parameterCount } }

    /// The number of non-trainable values (BatchNormalization's moving statistics).
    public var nonTrainableCount: Int { layers.reduce(0) { $0 + $1.nonTrainableCount } }

    /// The layers' configurations, in order.
    public var configurations: [LayerConfiguration] { layers.map(\.configuration) }

    /// The sum of every regulariser's penalty.
    public func regularizationLoss() -> Float {
        parameters.reduce(0) { sum, p in sum + (p.regularizer?.loss(p.value) ?? 0) }
    }

    /// The output of the whole stack for a batch.
    public func forward(_ input: Tensor, training: Bool, using generator: inout some RandomNumberGenerator) -> Tensor {
        var x = input
        guard let timings else {
            for layer in layers { x = layer.forward(x, training: training, using: &generator) }
            return x
        }
        for (index, layer) in layers.enumerated() {
            let start = DispatchTime.now().uptimeNanoseconds
            x = layer.forward(x, training: training, using: &generator)
            timings.add(forward: DispatchTime.now().uptimeNanoseconds - start, layer: index)
        }
        return x
    }

    /// Back-propagates `gradient` (with respect to the output, or, when `isLogitGradient`, with
    /// respect to the last layer's pre-activation) through every layer, then adds every
    /// regulariser's gradient, leaving each parameter's gradient of the full loss. Without
    /// `addingPenalties`, the regularisers' gradients are left for the optimiser to add
    /// (`Optimizer.apply(to:addingPenalties:)`), which may do it in the update's pass.
    public func backward(_ gradient: Tensor, isLogitGradient: Bool = false, addingPenalties: Bool = true) {
        let first = firstTrainableIndex
        var g: Tensor? = gradient
        // Whether g is already the gradient with respect to the next layer's pre-activation
        // values: a batch normalisation after a ReLU layer applies the ReLU's derivative in
        // its own pass over the values, and that layer skips its own.
        var preActivation = false
        for (index, layer) in layers.enumerated().reversed() where index >= first {
            let start = timings == nil ? 0 : DispatchTime.now().uptimeNanoseconds
            defer { timings?.add(backward: DispatchTime.now().uptimeNanoseconds - start, layer: index) }
            let needsInput = index > first
            if preActivation || (index == layers.count - 1 && isLogitGradient), let activated = layer as? any ActivatedLayer {
                g = activated.backward(preActivationGradient: g!, needsInputGradient: needsInput)
                preActivation = false
            } else if let normalization = layer as? BatchNormalization, needsInput,
                      (layers[index - 1] as? any ActivatedLayer)?.activation == .relu {
                g = normalization.backward(g!, needsInputGradient: true, maskingNonPositiveInputs: true)
                preActivation = true
            } else {
                g = layer.backward(g!, needsInputGradient: needsInput)
            }
        }
        for p in parameters where addingPenalties {
            if let regularizer = p.regularizer, regularizer.factor != 0 {
                regularizer.addGradient(of: p.value, to: &p.gradient)
            }
        }
    }

    /// The index of the first layer with parameters (the count of layers when none has any):
    /// back-propagation stops there, since layers before it have nothing to learn and the
    /// input needs no gradient.
    public var firstTrainableIndex: Int { layers.firstIndex { $0.parameterCount > 0 } ?? layers.count }

    /// True when the last layer is a softmax, so cross-entropy fuses with it.
    public var endsInSoftmax: Bool {
        (layers.last as? any ActivatedLayer)?.activation == .softmax
    }

}

/// Wall-clock nanoseconds spent in each layer of a model, forward and backward, summed over
/// the passes since it was set (see `Sequential.timings`).
public final class LayerTimings {
    /// Per layer, in the model's order; empty until the timings are given to a model.
    public private(set) var forward: [UInt64] = []
    public private(set) var backward: [UInt64] = []

    public init() {}

    /// Zeroes the sums for a model of `layers` layers.
    public func reset(layers: Int) {
        forward = Array(repeating: 0, count: layers)
        backward = Array(repeating: 0, count: layers)
    }

    func add(forward nanoseconds: UInt64, layer: Int) { forward[layer] += nanoseconds }
    func add(backward nanoseconds: UInt64, layer: Int) { backward[layer] += nanoseconds }
}
