import Dispatch
import Assignment
import NeuralEngine

/// Measurements of the engine and the machine, for the `bench` command.
public enum Benchmarks {
    /// A square product C ← A · B of n × n matrices (n, A, B, C), as a benchmark runs it.
    public typealias SquareProduct = @Sendable (Int, UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void

    /// The engine's own product on its workers (`withComputeThreads`), as its layers run it.
    public static let engineProduct: SquareProduct = { n, a, b, c in
        Products.gemm(m: n, n: n, k: n, a: a, lda: n, b: b, ldb: n, c: c, ldc: n)
    }

    /// The median GFLOP/s of five `size`³ single-precision products by `product`.
    public static func sgemmGFLOPS(size: Int, repeats: Int = 5, product: SquareProduct = engineProduct) -> Double {
        var generator = SeededGenerator(seed: 7)
        let a = GlorotUniform.tensor(shape: [size, size], fanIn: size, fanOut: size, using: &generator)
        let b = GlorotUniform.tensor(shape: [size, size], fanIn: size, fanOut: size, using: &generator)
        var c = Tensor(repeating: 0, shape: [size, size])
        _ = matmul(a, b, into: &c, product) // warm-up: thread pool start, page faults
        let rates = (0..<repeats).map { _ in
            2 * Double(size) * Double(size) * Double(size) / matmul(a, b, into: &c, product) / 1e9
        }
        return rates.sorted()[repeats / 2]
    }

    /// Seconds for c = a · b.
    static func matmul(_ a: Tensor, _ b: Tensor, into c: inout Tensor, _ product: SquareProduct) -> Double {
        let n = a.shape[0]
        let start = DispatchTime.now().uptimeNanoseconds
        a.scalars.withUnsafeBufferPointer { a in
            b.scalars.withUnsafeBufferPointer { b in
                c.scalars.withUnsafeMutableBufferPointer { c in
                    product(n, a.baseAddress!, b.baseAddress!, c.baseAddress!)
                }
            }
        }
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// The memory bandwidth the engine's element-wise loops reach: the median GB/s of `repeats`
    /// passes of y ← y · s + x · a (two reads and a write of each value) over two arrays of
    /// `megabytes` MB each, far larger than any cache, on the engine's workers. It is the
    /// ceiling of the layers between the products, as the sgemm is theirs.
    public static func memoryGBPS(megabytes: Int = 256, repeats: Int = 5) -> Double {
        let count = megabytes << 18  // floats
        let x = [Float](repeating: 1, count: count)
        var y = [Float](repeating: 0.5, count: count)
        func pass() -> Double {
            let start = DispatchTime.now().uptimeNanoseconds
            y.withUnsafeMutableBufferPointer { y in
                x.withUnsafeBufferPointer { x in
                    let (y, x) = (y.baseAddress!, x.baseAddress!)
                    Products.pool.slices(count) { _, range in
                        Kernels.scaleAdd(y + range.lowerBound, scale: 0.5, x + range.lowerBound, alpha: 0.25, count: range.count)
                    }
                }
            }
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        _ = pass()  // warm-up: page faults, the workers' start
        let rates = (0..<repeats).map { _ in 12 * Double(count) / pass() / 1e9 }
        return rates.sorted()[repeats / 2]
    }

    /// The least bytes layer `index` of `model` must move in an epoch: forward (training and
    /// validation items), its input read and its output written; backward (training items, where
    /// the layer computes its input gradient), the output gradient read, the input gradient
    /// written and one saved tensor of the forward read. Its seconds against this give the GB/s a
    /// layer between the products reaches.
    public static func epochBytes(model: Sequential, layer index: Int, trainItems: Int, testItems: Int) -> Double {
        let input = (index == 0 ? model.inputShape : model.layers[index - 1].outputShape).reduce(1, *)
        let output = model.layers[index].outputShape.reduce(1, *)
        let forward = Double(input + output) * Double(trainItems + testItems)
        let backward = index > model.firstTrainableIndex ? Double(output + input + max(input, output)) * Double(trainItems) : 0
        return 4 * (forward + backward)
    }

    /// The floating-point operations of one epoch's matrix products of a built model
    /// (`ModelDescription.epochFLOPs`, from the layers' own counts).
    public static func epochFLOPs(model: Sequential, trainItems: Int, testItems: Int) -> Double {
        model.layers.indices.reduce(0) { $0 + epochFLOPs(model: model, layer: $1, trainItems: trainItems, testItems: testItems) }
    }

    /// The part of `epochFLOPs` in layer `index` of `model`.
    public static func epochFLOPs(model: Sequential, layer index: Int, trainItems: Int, testItems: Int) -> Double {
        ModelDescription.epochFLOPs(multiplyAccumulates: model.layers[index].multiplyAccumulatesPerItem,
                                    firstTrainable: index == model.firstTrainableIndex, trainItems: trainItems, testItems: testItems)
    }
}

extension Benchmarks {
    /// One convolution layer of a benchmark stack: its input and its layer's settings.
    public struct ConvolutionCase: Sendable {
        public let input: [Int]
        public let filters: Int
        public let kernelSize: Int
        public let padding: Padding
        /// Whether a training step computes its input gradient (not for a model's first layer).
        public let needsInputGradient: Bool
    }

    /// The 3 × 3 convolutions of a stronger CNN for 28 × 28 × 1 digits: Conv2D(32, 3, same, relu) →
    /// Conv2D(32, 3, same, relu) → MaxPool(2) → Conv2D(64, 3, same, relu) → Conv2D(64, 3, same, relu).
    public static let strongCNNConvolutions: [ConvolutionCase] = [
        ConvolutionCase(input: [28, 28, 1], filters: 32, kernelSize: 3, padding: .same, needsInputGradient: false),
        ConvolutionCase(input: [28, 28, 32], filters: 32, kernelSize: 3, padding: .same, needsInputGradient: true),
        ConvolutionCase(input: [14, 14, 32], filters: 64, kernelSize: 3, padding: .same, needsInputGradient: true),
        ConvolutionCase(input: [14, 14, 64], filters: 64, kernelSize: 3, padding: .same, needsInputGradient: true),
    ]

    /// The CNN 16-32's 3 × 3 convolutions after its first (section 3.1b): 16 → 16 at 28 × 28,
    /// then 16 → 32 and 32 → 32 at 14 × 14, each after a batch normalisation, so each computes
    /// its input gradient.
    public static let cnn16Convolutions: [ConvolutionCase] = [
        ConvolutionCase(input: [28, 28, 16], filters: 16, kernelSize: 3, padding: .same, needsInputGradient: true),
        ConvolutionCase(input: [14, 14, 16], filters: 32, kernelSize: 3, padding: .same, needsInputGradient: true),
        ConvolutionCase(input: [14, 14, 32], filters: 32, kernelSize: 3, padding: .same, needsInputGradient: true),
    ]

    /// The median seconds of one convolution layer's forward and backward pass over a batch.
    public struct ConvolutionTiming: Sendable {
        public let layer: ConvolutionCase
        public let outputShape: [Int]
        public let algorithm: String
        /// Floating-point operations of the forward products and of the backward ones.
        public let forwardFLOPs: Double, backwardFLOPs: Double
        public let forwardSeconds: Double, backwardSeconds: Double
        public var gflopsPerSecond: Double { (forwardFLOPs + backwardFLOPs) / (forwardSeconds + backwardSeconds) / 1e9 }
    }

    /// Times `layer` (with a ReLU) on a random batch: after one warm-up step, the median of
    /// `repeats` forward passes and of as many backward passes (gradients of input when the layer
    /// needs it, kernel and bias).
    public static func convolution(_ layer: ConvolutionCase, batch: Int, repeats: Int = 7,
                                   algorithm: ConvolutionAlgorithmKind? = nil) throws -> ConvolutionTiming {
        func layerForcing(_ forced: ConvolutionAlgorithmKind?) -> Conv2D {
            let conv = Conv2D(filters: layer.filters, kernelSize: layer.kernelSize, padding: layer.padding, activation: .relu)
            conv.forcedAlgorithm = forced
            return conv
        }
        var generator = SeededGenerator(seed: 3)
        var conv = layerForcing(algorithm)
        // A forced algorithm applies where it can take the layer; elsewhere the engine chooses.
        let output: [Int]
        if let shape = try? conv.build(inputShape: layer.input, using: &generator) {
            output = shape
        } else {
            (conv, generator) = (layerForcing(nil), SeededGenerator(seed: 3))
            output = try conv.build(inputShape: layer.input, using: &generator)
        }
        let x = GlorotUniform.tensor(shape: [batch] + layer.input, fanIn: 1, fanOut: 1, using: &generator)
        let dy = GlorotUniform.tensor(shape: [batch] + output, fanIn: 1, fanOut: 1, using: &generator)
        func seconds(_ body: () -> Void) -> Double {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        var forward: [Double] = [], backward: [Double] = []
        for step in 0...repeats {
            let f = seconds { _ = conv.forward(x, training: true, using: &generator) }
            let b = seconds { _ = conv.backward(dy, needsInputGradient: layer.needsInputGradient) }
            if step > 0 { forward.append(f); backward.append(b) }
        }
        let flops = 2 * Double(conv.multiplyAccumulatesPerItem) * Double(batch)
        return ConvolutionTiming(layer: layer, outputShape: output, algorithm: conv.algorithm?.rawValue ?? "",
                                 forwardFLOPs: flops, backwardFLOPs: flops * (layer.needsInputGradient ? 2 : 1),
                                 forwardSeconds: forward.sorted()[repeats / 2], backwardSeconds: backward.sorted()[repeats / 2])
    }
}
