/// A 2-D convolution over channels-last images (Keras's `Conv2D`).
///
/// Input (N, H, W, C), kernel (kh, kw, C, F) initialised Glorot-uniform with fans kh·kw·C and
/// kh·kw·F, bias zero, output (N, H′, W′, F):
///
///     z[n, oy, ox, f] = b[f] + Σ_{dy, dx, c} x[n, oy·sh + dy − top, ox·sw + dx − left, c] · W[dy, dx, c, f]
///
/// and backward dW = Σ x ⊗ dZ over the windows, db = Σ dZ, dX the window sums scattered back.
/// How the sums are computed is up to a `ConvolutionAlgorithm`, chosen by `build` from the shape
/// (`ConvolutionAlgorithmKind.choice(for:)`); forward and backward hand it to the one
/// `ConvolutionRunner`, which spreads the batch over the engine's workers.
public final class Conv2D: ActivatedLayer {
    public let filters: Int
    public let kernelSize: (height: Int, width: Int)
    public let strides: (height: Int, width: Int)
    public let padding: Padding
    public let activation: Activation
    public let kernelRegularizer: L2?
    public var name = "conv2d"
    public private(set) var outputShape: [Int] = []
    public private(set) var parameters: [Parameter] = []
    /// The algorithm `build` takes instead of its own choice (tests and benchmarks compare them).
    package var forcedAlgorithm: ConvolutionAlgorithmKind?
    /// The algorithm in use, known after `build`.
    public private(set) var algorithm: ConvolutionAlgorithmKind?

    private var runner: ConvolutionRunner?
    private var lastInput = Tensor(shape: [0], scalars: [])
    private var lastOutput = Tensor(shape: [0], scalars: [])

    /// - Parameters:
    ///   - filters: output channels, at least 1.
    ///   - kernelSize: the window, square when one number is given.
    ///   - strides: the step between windows (1 by default).
    ///   - padding: `.valid` (Keras's default) or `.same`.
    ///   - activation: applied to the pre-activation values (not softmax).
    ///   - kernelRegularizer: an L2 penalty on the kernel (biases are never penalised).
    public init(filters: Int, kernelSize: Int, strides: Int = 1, padding: Padding = .valid,
                activation: Activation = .linear, kernelRegularizer: L2? = nil) {
        precondition(filters > 0, "Conv2D needs at least one filter, got filters: \(filters)")
        precondition(kernelSize > 0, "Conv2D kernel size must be positive, got kernelSize: \(kernelSize)")
        precondition(strides > 0, "Conv2D strides must be positive, got strides: \(strides)")
        precondition(activation != .softmax, "Conv2D does not take a softmax activation")
        self.filters = filters
        self.kernelSize = (kernelSize, kernelSize)
        self.strides = (strides, strides)
        self.padding = padding
        self.activation = activation
        self.kernelRegularizer = kernelRegularizer
    }

    public var configuration: LayerConfiguration {
        .conv2D(filters: filters, kernelSize: kernelSize.height, strides: strides.height, padding: padding,
                activation: activation, l2: kernelRegularizer?.factor)
    }

    public var kernel: Parameter { parameters[0] }
    public var bias: Parameter { parameters[1] }

    public var multiplyAccumulatesPerItem: Int {
        guard let g = runner?.geometry else { return 0 }
        return g.positions * g.patchSize * g.filters
    }

    public func build(inputShape: [Int], using generator: inout some RandomNumberGenerator) throws -> [Int] {
        guard inputShape.count == 3, inputShape.allSatisfy({ $0 > 0 }) else {
            throw EngineError.incompatibleShape(layer: name, expected: "(height, width, channels)", got: inputShape)
        }
        let (h, w, c) = (inputShape[0], inputShape[1], inputShape[2])
        let rows = padding.geometry(input: h, kernel: kernelSize.height, stride: strides.height)
        let columns = padding.geometry(input: w, kernel: kernelSize.width, stride: strides.width)
        guard rows.output > 0, columns.output > 0 else {
            throw EngineError.incompatibleShape(
                layer: name, expected: "at least \(kernelSize.height) × \(kernelSize.width) pixels for 'valid' padding", got: inputShape)
        }
        let geometry = ConvolutionGeometry(
            height: h, width: w, channels: c, kernelHeight: kernelSize.height, kernelWidth: kernelSize.width,
            filters: filters, strideY: strides.height, strideX: strides.width,
            outputHeight: rows.output, outputWidth: columns.output, top: rows.before, left: columns.before)
        let kind = forcedAlgorithm ?? ConvolutionAlgorithmKind.choice(for: geometry)
        guard let chosen = kind.algorithm(for: geometry) else {
            throw EngineError.invalidArgument("\(name): the \(kind.rawValue) convolution cannot take input \(inputShape)")
        }
        algorithm = kind
        runner = ConvolutionRunner(chosen)
        let kernel = GlorotUniform.tensor(shape: [kernelSize.height, kernelSize.width, c, filters],
                                          fanIn: geometry.taps * c, fanOut: geometry.taps * filters, using: &generator)
        parameters = [
            Parameter(name: "kernel", value: kernel, regularizer: kernelRegularizer),
            Parameter(name: "bias", value: Tensor(repeating: 0, shape: [filters])),
        ]
        outputShape = [rows.output, columns.output, filters]
        return outputShape
    }

    public func forward(_ x: Tensor, training: Bool, using generator: inout some RandomNumberGenerator) -> Tensor {
        guard let runner else { preconditionFailure("\(name) is not built") }
        let g = runner.geometry
        precondition(Array(x.shape.dropFirst()) == [g.height, g.width, g.channels],
                     "\(name) expects items of \([g.height, g.width, g.channels]), got \(Array(x.shape.dropFirst()))")
        let output = runner.forward(x, kernel: kernel.value, bias: bias.value, activation: activation)
        lastInput = x
        lastOutput = output
        return output
    }

    /// The activation's derivative is applied by the runner, chunk by chunk while in cache.
    public func backward(_ outputGradient: Tensor, needsInputGradient: Bool) -> Tensor? {
        backward(outputGradient, activation: activation, needsInputGradient: needsInputGradient)
    }

    public func backward(preActivationGradient dz: Tensor, needsInputGradient: Bool) -> Tensor? {
        backward(dz, activation: .linear, needsInputGradient: needsInputGradient)
    }

    private func backward(_ gradient: Tensor, activation: Activation, needsInputGradient: Bool) -> Tensor? {
        guard let runner else { preconditionFailure("\(name) is not built") }
        precondition(gradient.count == lastOutput.count, "\(name): gradient does not match the last forward")
        return runner.backward(gradient, activation: activation, x: lastInput, output: lastOutput,
                               kernel: kernel, bias: bias, needsInputGradient: needsInputGradient)
    }
}
