/// A fully connected layer, `activation(x · kernel + bias)` (Keras's `Dense`).
///
/// Input (N, in), output (N, units); kernel (in, units) initialised Glorot-uniform, bias zero.
/// The products are the engine's: forward Y = X·W + b, backward dW = Xᵀ·dZ, dX = dZ·Wᵀ. When
/// most of a batch's inputs are zero (MNIST's pixels, or a layer after ReLU), Y and dW visit only
/// the non-zero inputs (`SparseRows`), with the same bits.
public final class Dense: ActivatedLayer {
    public let units: Int
    public let activation: Activation
    public let kernelRegularizer: L2?
    public var name = "dense"
    public private(set) var outputShape: [Int] = []
    public private(set) var parameters: [Parameter] = []

    private var inputUnits = 0
    private var lastInput = Tensor(shape: [0], scalars: [])
    private var lastOutput = Tensor(shape: [0], scalars: [])
    /// The lists of the last input's non-zero values, for the forward product and the kernel gradient.
    private var sparse = SparseRows()

    /// - Parameters:
    ///   - units: the number of outputs, at least 1.
    ///   - activation: applied to the pre-activation values.
    ///   - kernelRegularizer: an L2 penalty on the kernel (biases are never penalised).
    public init(units: Int, activation: Activation = .linear, kernelRegularizer: L2? = nil) {
        precondition(units > 0, "Dense needs at least one unit, got units: \(units)")
        self.units = units
        self.activation = activation
        self.kernelRegularizer = kernelRegularizer
    }

    public var configuration: LayerConfiguration {
        .dense(units: units, activation: activation, l2: kernelRegularizer?.factor)
    }

    public var multiplyAccumulatesPerItem: Int { inputUnits * units }

    public var kernel: Parameter { parameters[0] }
    public var bias: Parameter { parameters[1] }

    public func build(inputShape: [Int], using generator: inout some RandomNumberGenerator) throws -> [Int] {
        guard inputShape.count == 1, inputShape[0] > 0 else {
            throw EngineError.incompatibleShape(layer: name, expected: "a flat vector (add Flatten first)", got: inputShape)
        }
        inputUnits = inputShape[0]
        let kernel = GlorotUniform.tensor(shape: [inputUnits, units], fanIn: inputUnits, fanOut: units, using: &generator)
        parameters = [
            Parameter(name: "kernel", value: kernel, regularizer: kernelRegularizer),
            Parameter(name: "bias", value: Tensor(repeating: 0, shape: [units])),
        ]
        outputShape = [units]
        return outputShape
    }

    public func forward(_ input: Tensor, training: Bool, using generator: inout some RandomNumberGenerator) -> Tensor {
        let n = input.batchSize
        precondition(input.itemSize == inputUnits, "\(name) expects \(inputUnits) inputs per item, got \(input.itemSize)")
        let (inputs, units, activation) = (inputUnits, units, activation)
        let output = Tensor(shape: [n, units]) { y in
            let y = y.baseAddress!
            input.scalars.withUnsafeBufferPointer { x in
                kernel.value.scalars.withUnsafeBufferPointer { w in
                    bias.value.scalars.withUnsafeBufferPointer { b in
                        let (x, w, b) = (x.baseAddress!, w.baseAddress!, b.baseAddress!)
                        if sparse.forward(x, rows: n, inputs: inputs, weights: w, bias: b, units: units, into: y) { return }
                        Kernels.broadcastRows(b, rows: n, columns: units, into: y)
                        Products.gemm(m: n, n: units, k: inputs, a: x, lda: inputs, b: w, ldb: units, beta: 1, c: y, ldc: units)
                    }
                }
            }
            activation.apply(y, rows: n, columns: units)
        }
        lastInput = input
        lastOutput = output
        return output
    }

    public func backward(_ outputGradient: Tensor, needsInputGradient: Bool) -> Tensor? {
        var gradient = outputGradient
        let (n, units) = (gradient.batchSize, units)
        lastOutput.scalars.withUnsafeBufferPointer { y in
            gradient.scalars.withUnsafeMutableBufferPointer { g in
                activation.backward(output: y.baseAddress!, gradient: g.baseAddress!, rows: n, columns: units)
            }
        }
        return backward(preActivationGradient: gradient, needsInputGradient: needsInputGradient)
    }

    public func backward(preActivationGradient dz: Tensor, needsInputGradient: Bool) -> Tensor? {
        let (n, inputs, units) = (dz.batchSize, inputUnits, units)
        precondition(dz.count == n * units && lastInput.batchSize == n, "\(name): gradient does not match the last forward")
        dz.scalars.withUnsafeBufferPointer { dz in
            let dz = dz.baseAddress!
            lastInput.scalars.withUnsafeBufferPointer { x in
                kernel.gradient.scalars.withUnsafeMutableBufferPointer { dw in
                    if sparse.weightGradient(x.baseAddress!, rows: n, inputs: inputs, outputGradient: dz, units: units,
                                             into: dw.baseAddress!, sameInputAsForward: true) { return }
                    Products.gemm(transposeA: true, m: inputs, n: units, k: n, a: x.baseAddress!, lda: inputs,
                              b: dz, ldb: units, c: dw.baseAddress!, ldc: units)
                }
            }
            bias.gradient.scalars.withUnsafeMutableBufferPointer { db in
                Kernels.columnSums(dz, rows: n, columns: units, into: db.baseAddress!)
            }
        }
        guard needsInputGradient else { return nil }
        return Tensor(shape: lastInput.shape) { dx in
            dz.scalars.withUnsafeBufferPointer { dz in
                kernel.value.scalars.withUnsafeBufferPointer { w in
                    Products.gemm(transposeB: true, m: n, n: inputs, k: units, a: dz.baseAddress!, lda: units,
                              b: w.baseAddress!, ldb: units, c: dx.baseAddress!, ldc: inputs)
                }
            }
        }
    }
}
