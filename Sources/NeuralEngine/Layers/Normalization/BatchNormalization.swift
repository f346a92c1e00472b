/// Batch normalisation (Keras 3's `BatchNormalization` on the last axis): each channel is
/// normalised, then scaled and shifted,
///
///   y = γ · x̂ + β,  x̂ = (x − μ) / √(σ² + ε).
///
/// In training μ and σ² are the batch's mean and biased (population) variance over every axis
/// but the last (N·H·W values a channel after Conv2D's (N, H, W, C), N after Dense's (N, C)),
/// and the moving statistics follow them with momentum m:
///
///   moving_mean ← m · moving_mean + (1 − m) · μ,  moving_variance ← m · moving_variance + (1 − m) · σ².
///
/// At inference μ and σ² are the moving statistics. Backward, with g = ∂L/∂y and M values a
/// channel: ∂L/∂β = Σ g and ∂L/∂γ = Σ g · x̂ in both modes; in training, where μ and σ² depend
/// on every x,
///
///   ∂L/∂x = γ / √(σ² + ε) · (g − ∂L/∂β / M − x̂ · ∂L/∂γ / M),
///
/// and at inference, where they are constants, ∂L/∂x = γ / √(σ² + ε) · g.
///
/// Weights in Keras's order and names: gamma (ones) and beta (zeros) trainable; moving_mean
/// (zeros) and moving_variance (ones) non-trainable, updated here and never by an optimiser.
public final class BatchNormalization: Layer {
    public let momentum: Float
    public let epsilon: Float
    public var name = "batch_normalization"
    public private(set) var outputShape: [Int] = []
    public private(set) var parameters: [Parameter] = []
    public private(set) var nonTrainableWeights: [Parameter] = []

    private var channels = 0
    /// The last forward's mode, its μ and 1/√(σ² + ε), and its input, which backward reads
    /// (in training it computes x̂ from it again, as forward did).
    private var lastTraining = false
    private var lastMean: [Float] = []
    private var lastInverseDeviation: [Float] = []
    private var lastInput = Tensor(shape: [0], scalars: [])

    /// - Parameters:
    ///   - momentum: the moving statistics' weight on their past, in [0, 1].
    ///   - epsilon: added to the variance, positive.
    public init(momentum: Float = 0.99, epsilon: Float = 1e-3) {
        precondition((0...1).contains(momentum), "BatchNormalization momentum must lie in [0, 1], got momentum: \(momentum)")
        precondition(epsilon > 0 && epsilon.isFinite, "BatchNormalization epsilon must be positive, got epsilon: \(epsilon)")
        (self.momentum, self.epsilon) = (momentum, epsilon)
    }

    public var configuration: LayerConfiguration { .batchNormalization(momentum: momentum, epsilon: epsilon) }

    public var gamma: Parameter { parameters[0] }
    public var beta: Parameter { parameters[1] }
    public var movingMean: Parameter { nonTrainableWeights[0] }
    public var movingVariance: Parameter { nonTrainableWeights[1] }

    public func build(inputShape: [Int], using generator: inout some RandomNumberGenerator) throws -> [Int] {
        guard let last = inputShape.last, last > 0 else {
            throw EngineError.incompatibleShape(layer: name, expected: "items with channels last", got: inputShape)
        }
        channels = last
        parameters = [Parameter(name: "gamma", value: Tensor(repeating: 1, shape: [last])),
                      Parameter(name: "beta", value: Tensor(repeating: 0, shape: [last]))]
        nonTrainableWeights = [Parameter(name: "moving_mean", value: Tensor(repeating: 0, shape: [last])),
                               Parameter(name: "moving_variance", value: Tensor(repeating: 1, shape: [last]))]
        outputShape = inputShape
        return outputShape
    }

    public func forward(_ input: Tensor, training: Bool, using generator: inout some RandomNumberGenerator) -> Tensor {
        let (count, channels, epsilon) = (input.count, channels, epsilon)
        precondition(input.shape.last == channels, "\(name) expects \(channels) channels last, got shape \(input.shape)")
        let gamma = self.gamma.value.scalars, beta = self.beta.value.scalars
        lastTraining = training
        guard training else {
            // y = x · γ/√(v + ε) + (β − m · γ/√(v + ε)) with the moving statistics m, v.
            lastMean = movingMean.value.scalars
            lastInverseDeviation = movingVariance.value.scalars.map { 1 / ($0 + epsilon).squareRoot() }
            let scale = zip(gamma, lastInverseDeviation).map { $0 * $1 }
            let shift = (0..<channels).map { beta[$0] - lastMean[$0] * scale[$0] }
            lastInput = input
            return Tensor(shape: input.shape) { y in
                input.scalars.withUnsafeBufferPointer { x in
                    Kernels.channelAffine(x.baseAddress!, scale: scale, shift: shift, into: y.baseAddress!, count: count, channels: channels)
                }
            }
        }
        let m = Double(count / channels)
        // Three passes over x: the means; the centred values' squares; y. Backward computes x̂
        // again from x, the same operations: one tensor less to write and keep.
        var mean: [Float] = [], variance: [Float] = []
        let output = Tensor(shape: input.shape) { y in
            input.scalars.withUnsafeBufferPointer { x in
                let x = x.baseAddress!
                mean = Kernels.channelSums(x, count: count, channels: channels).map { Float($0 / m) }
                variance = Kernels.channelCentredSquares(x, mean: mean, count: count, channels: channels).map { Float($0 / m) }
                lastInverseDeviation = variance.map { 1 / ($0 + epsilon).squareRoot() }
                Kernels.channelNormalize(x, mean: mean, scale: lastInverseDeviation, gamma: gamma, beta: beta,
                                         into: y.baseAddress!, count: count, channels: channels)
            }
        }
        lastInput = input
        lastMean = mean
        let momentum = momentum
        movingMean.value.scalars = zip(movingMean.value.scalars, mean).map { momentum * $0 + (1 - momentum) * $1 }
        movingVariance.value.scalars = zip(movingVariance.value.scalars, variance).map { momentum * $0 + (1 - momentum) * $1 }
        return output
    }

    public func backward(_ g: Tensor, needsInputGradient: Bool) -> Tensor? {
        backward(g, needsInputGradient: needsInputGradient, maskingNonPositiveInputs: false)
    }

    /// `backward`, and with `maskingNonPositiveInputs` the input gradient is +0 wherever the
    /// last forward's input was ≤ 0: when that input is a ReLU's output, the gradient with
    /// respect to the ReLU's input, in the same pass (`Sequential` then hands it to the layer
    /// before as its pre-activation gradient). The values are those of the ReLU's own
    /// derivative applied afterwards.
    public func backward(_ g: Tensor, needsInputGradient: Bool, maskingNonPositiveInputs masking: Bool) -> Tensor? {
        let (count, channels) = (g.count, channels)
        let m = Double(count / channels)
        let gamma = self.gamma.value.scalars, inverse = lastInverseDeviation
        var betaGradient: [Double] = [], gammaGradient: [Double] = []
        g.scalars.withUnsafeBufferPointer { g in
            let g = g.baseAddress!
            if lastTraining {
                precondition(lastInput.count == count, "\(name): gradient does not match the last forward")
                (betaGradient, gammaGradient) = lastInput.scalars.withUnsafeBufferPointer { x in
                    Kernels.channelSumsPair(g, normalizing: x.baseAddress!, mean: lastMean, scale: inverse,
                                            count: count, channels: channels)
                }
            } else {
                betaGradient = Kernels.channelSums(g, count: count, channels: channels)
                precondition(lastInput.count == count, "\(name): gradient does not match the last forward")
                // Σ g · x̂ = (Σ g · x − μ · Σ g) / √(σ² + ε).
                let products = lastInput.scalars.withUnsafeBufferPointer { x in
                    Kernels.channelSums(g, times: x.baseAddress!, count: count, channels: channels)
                }
                gammaGradient = (0..<channels).map { (products[$0] - Double(lastMean[$0]) * betaGradient[$0]) * Double(inverse[$0]) }
            }
        }
        self.gamma.gradient = Tensor(shape: [channels], scalars: gammaGradient.map { Float($0) })
        self.beta.gradient = Tensor(shape: [channels], scalars: betaGradient.map { Float($0) })
        guard needsInputGradient else { return nil }
        let k = zip(gamma, inverse).map { $0 * $1 }
        return Tensor(shape: g.shape) { dx in
            let dx = dx.baseAddress!
            g.scalars.withUnsafeBufferPointer { g in
                guard lastTraining else {
                    Kernels.channelAffine(g.baseAddress!, scale: k, shift: [Float](repeating: 0, count: channels), into: dx,
                                          count: count, channels: channels)
                    if masking {
                        lastInput.scalars.withUnsafeBufferPointer { x in
                            Activation.relu.backward(output: x.baseAddress!, gradient: dx, rows: count / channels, columns: channels)
                        }
                    }
                    return
                }
                // dx = g · k + x̂ · (−k · ∂L/∂γ / M) + (−k · ∂L/∂β / M), k = γ / √(σ² + ε).
                let q = (0..<channels).map { -k[$0] * Float(gammaGradient[$0] / m) }
                let r = (0..<channels).map { -k[$0] * Float(betaGradient[$0] / m) }
                lastInput.scalars.withUnsafeBufferPointer { x in
                    Kernels.channelAffine(g.baseAddress!, scale: k, plusNormalized: x.baseAddress!, mean: lastMean, scale: inverse,
                                          times: q, shift: r, maskingNonPositive: masking, into: dx, count: count, channels: channels)
                }
            }
        }
    }
}
