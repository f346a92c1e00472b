/// Adds rows and columns of zeros around every image (Keras's `ZeroPadding2D`).
/// Input (N, H, W, C), output (N, H + 2p, W + 2p, C).
public final class ZeroPadding2D: Layer {
    public let padding: Int
    public var name = "zero_padding2d"
    public private(set) var outputShape: [Int] = []
    public var parameters: [Parameter] { [] }
    public var configuration: LayerConfiguration { .zeroPadding2D(padding: padding) }
    private var inputShape: [Int] = []

    /// - Parameter padding: rows and columns added on each side, at least 0.
    public init(padding: Int) {
        precondition(padding >= 0, "ZeroPadding2D padding must be ≥ 0, got padding: \(padding)")
        self.padding = padding
    }

    public func build(inputShape: [Int], using generator: inout some RandomNumberGenerator) throws -> [Int] {
        guard inputShape.count == 3 else {
            throw EngineError.incompatibleShape(layer: name, expected: "(height, width, channels)", got: inputShape)
        }
        self.inputShape = inputShape
        outputShape = [inputShape[0] + 2 * padding, inputShape[1] + 2 * padding, inputShape[2]]
        return outputShape
    }

    public func forward(_ x: Tensor, training: Bool, using generator: inout some RandomNumberGenerator) -> Tensor {
        let n = x.batchSize
        let (h, w, c, p) = (inputShape[0], inputShape[1], inputShape[2], padding)
        let (ph, pw) = (h + 2 * p, w + 2 * p)
        var out = Tensor(repeating: 0, shape: [n] + outputShape)
        x.scalars.withUnsafeBufferPointer { x in
            out.scalars.withUnsafeMutableBufferPointer { y in
                for item in 0..<n {
                    for row in 0..<h {
                        (y.baseAddress! + ((item * ph + row + p) * pw + p) * c)
                            .update(from: x.baseAddress! + (item * h + row) * w * c, count: w * c)
                    }
                }
            }
        }
        return out
    }

    public func backward(_ g: Tensor, needsInputGradient: Bool) -> Tensor? {
        guard needsInputGradient else { return nil }
        let n = g.batchSize
        let (h, w, c, p) = (inputShape[0], inputShape[1], inputShape[2], padding)
        let (ph, pw) = (h + 2 * p, w + 2 * p)
        return Tensor(shape: [n] + inputShape) { dx in
            g.scalars.withUnsafeBufferPointer { g in
                for item in 0..<n {
                    for row in 0..<h {
                        (dx.baseAddress! + (item * h + row) * w * c)
                            .update(from: g.baseAddress! + ((item * ph + row + p) * pw + p) * c, count: w * c)
                    }
                }
            }
        }
    }
}
