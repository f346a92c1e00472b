/// A dense array of `Float` values with a shape, stored row-major in one flat buffer.
///
/// Images are channels-last (N, H, W, C), as in Keras. The first dimension of a batch
/// tensor is the batch; layer shapes elsewhere leave it out.
public struct Tensor: Sendable, Equatable {
    /// The size of every dimension, outermost first.
    public var shape: [Int]
    /// The values, row-major; `scalars.count` is the product of `shape`.
    public var scalars: [Float]

    /// Wraps `scalars` with `shape`; their counts must agree.
    public init(shape: [Int], scalars: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor shape \(shape) has a negative dimension")
        precondition(shape.reduce(1, *) == scalars.count,
                     "Tensor shape \(shape) needs \(shape.reduce(1, *)) values, got \(scalars.count)")
        self.shape = shape
        self.scalars = scalars
    }

    /// A tensor of `shape` filled with `value`.
    public init(repeating value: Float = 0, shape: [Int]) {
        self.init(shape: shape, scalars: [Float](repeating: value, count: shape.reduce(1, *)))
    }

    /// A tensor of `shape` whose values are written by `initializer` into uninitialised memory.
    /// The closure must write every element.
    @inlinable
    public init(shape: [Int], unsafeUninitialized initializer: (UnsafeMutableBufferPointer<Float>) -> Void) {
        let count = shape.reduce(1, *)
        self.shape = shape
        self.scalars = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            initializer(buffer)
            initialized = count
        }
    }

    /// The number of values.
    @inlinable public var count: Int { scalars.count }

    /// The first dimension (the batch size of a batch tensor).
    @inlinable public var batchSize: Int { shape.first ?? 1 }

    /// The number of values per item of the first dimension.
    @inlinable public var itemSize: Int { shape.count <= 1 ? 1 : shape.dropFirst().reduce(1, *) }

    /// The same values seen with another shape of the same size.
    public func reshaped(to newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, scalars: scalars)
    }

    /// Items `range` of the first dimension, copied.
    public func slice(items range: Range<Int>) -> Tensor {
        let size = itemSize
        var newShape = shape
        newShape[0] = range.count
        return Tensor(shape: newShape, scalars: Array(scalars[(range.lowerBound * size)..<(range.upperBound * size)]))
    }

    /// The items at `indices` of the first dimension, gathered in that order.
    public func gather(items indices: some Collection<Int>) -> Tensor {
        let size = itemSize
        var newShape = shape
        newShape[0] = indices.count
        return Tensor(shape: newShape) { out in
            scalars.withUnsafeBufferPointer { source in
                var offset = 0
                for index in indices {
                    out.baseAddress!.advanced(by: offset)
                        .update(from: source.baseAddress!.advanced(by: index * size), count: size)
                    offset += size
                }
            }
        }
    }

    /// The index of the largest value of every item (row) of a batch.
    public func argmaxPerItem() -> [Int] {
        let size = itemSize
        return scalars.withUnsafeBufferPointer { p in
            (0..<batchSize).map { row in
                let base = row * size
                var best = 0
                var bestValue = p[base]
                for j in 1..<size where p[base + j] > bestValue {
                    best = j
                    bestValue = p[base + j]
                }
                return best
            }
        }
    }
}

extension Tensor {
    /// One-hot rows of `classes` columns for integer labels (Keras's `to_categorical`).
    public init(oneHot labels: some Collection<Int>, classes: Int) {
        var values = [Float](repeating: 0, count: labels.count * classes)
        for (row, label) in labels.enumerated() {
            precondition((0..<classes).contains(label), "label \(label) is outside 0..<\(classes)")
            values[row * classes + label] = 1
        }
        self.init(shape: [labels.count, classes], scalars: values)
    }
}
