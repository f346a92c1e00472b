import CKernels

/// The non-zero values of a batch of rows (a Dense layer's input), listed by column, so that the
/// layer's kernel gradient xᵀ · dz visits only those values.
///
/// 80.9 % of MNIST's training pixels are exactly zero, and a hidden layer's input after ReLU is
/// often half zeros. Skipping a zero term of a fused multiply-add chain changes at most the sign
/// of a zero sum, and the kernel recomputes any element that ends as −0 along the whole chain
/// (see `CKernels`), so the product here gives the dense product's bits whenever dz is finite;
/// the caller checks that it is. Whether a batch goes this way or the dense way is therefore a
/// matter of speed alone, and may differ between CPUs or batches.
///
/// The forward product walks tiles of four rows over the inputs where any of them is not zero,
/// a block of output columns at a time with their sums in registers (`sparse_forward`): a row
/// walked alone loaded a vector of the kernel for each multiply-add and lost to the dense
/// product. The lists built for the forward product serve the kernel gradient of the same batch.
///
/// The lists are rebuilt for every batch into buffers kept between batches.
package struct SparseRows {
    /// A batch goes the sparse way when at most this share of its values are non-zero. On one
    /// core of a Xeon with AVX-512, with the kernels alone on random inputs, a 128 × 784 × 500
    /// kernel gradient took 297 µs sparse against 1,118 µs dense at 19 % non-zero (MNIST's
    /// pixels), 557 against 868 µs at 45 %; listing the values took 80 µs by row and 86 to 250 µs
    /// by column. So the two ways cross near 40 %.
    package static let densityLimit = 0.35

    /// Fewer output columns than one slice of the kernel (4 vectors of 16) waste the slice's
    /// lanes: the dense product is better there (an output layer of 10 units).
    package static let minimumUnits = 64

    /// The forward product's blocks of columns want more: on one core of a Xeon with AVX-512, for
    /// a batch of 128 MNIST digits, the sparse forward product took 111 µs against the dense 85 µs
    /// for 64 units, 137 against 173 µs for 128, 237 against 413 µs for 300 and 424 against
    /// 721 µs for 500.
    package static let forwardMinimumUnits = 128

    /// Row r's non-zero inputs are indices[r · inputs ..< r · inputs + counts[r]].
    private var counts: [Int32] = []
    private var indices: [Int32] = []
    /// Whether `counts` and `indices` list the input of the last forward product.
    private var listsAreCurrent = false
    /// The same by column: column k's rows are items[starts[k] ..< starts[k + 1]], with their x.
    private var starts: [Int32] = []
    private var items: [Int32] = []
    private var values: [Float] = []

    package init() {}

    private static var table: kernels_table { ComputeKernels.table.pointee }

    /// Whether none of `count` values is infinite or NaN: the condition for the sparse product
    /// to give the dense product's bits.
    package static func allFinite(_ x: UnsafePointer<Float>, count: Int) -> Bool {
        table.all_finite(x, count) != 0
    }

    /// dw = xᵀ · dz for x (rows × inputs) and dz (rows × units), visiting only x's non-zero values,
    /// when they are few enough (`densityLimit`, `minimumUnits`) and dz is finite; each element's
    /// chain runs over the items in order, as the dense product's. The kernel's rows are shared
    /// between the engine's workers. Returns false, having written nothing, when the dense
    /// product should be used instead.
    ///
    /// `sameInputAsForward`: x is the input of the last `forward` call, whose lists then serve.
    package mutating func weightGradient(_ x: UnsafePointer<Float>, rows: Int, inputs: Int,
                                         outputGradient dz: UnsafePointer<Float>, units: Int,
                                         into dw: UnsafeMutablePointer<Float>, sameInputAsForward: Bool) -> Bool {
        let listed = sameInputAsForward && listsAreCurrent
        guard units >= Self.minimumUnits, rows > 0, listed ? sparseEnough(rows: rows, inputs: inputs) : index(x, rows: rows, inputs: inputs),
              Self.allFinite(dz, count: rows * units) else { return false }
        let product = Self.table.sparse_weight_gradient!
        if starts.count < inputs + 1 { starts = [Int32](repeating: 0, count: inputs + 1) }
        if items.count < rows * inputs {
            items = [Int32](repeating: 0, count: rows * inputs)
            values = [Float](repeating: 0, count: rows * inputs)
        }
        counts.withUnsafeBufferPointer { counts in
        indices.withUnsafeBufferPointer { indices in
        starts.withUnsafeMutableBufferPointer { starts in
        items.withUnsafeMutableBufferPointer { items in
        values.withUnsafeMutableBufferPointer { values in
            let (starts, items, values) = (starts.baseAddress!, items.baseAddress!, values.baseAddress!)
            kernels_sparse_transpose(rows, inputs, counts.baseAddress!, indices.baseAddress!, x, starts, items, values)
            Products.pool.slices(inputs) { _, range in
                product(rows, inputs, units, range.lowerBound, range.upperBound, starts, items, values, x, dz, dw)
            }
        }}}}}
        return true
    }

    /// y = x · w + b for x (rows × inputs), w (inputs × units) and b (units), visiting only x's
    /// non-zero values when they are few enough and w is finite, with the dense product's bits;
    /// the rows are shared between the engine's workers. Returns false, having written nothing,
    /// when the dense product should be used instead. Either way, from `forwardMinimumUnits`
    /// units on, the lists of x's non-zero values are kept for the kernel gradient.
    package mutating func forward(_ x: UnsafePointer<Float>, rows: Int, inputs: Int, weights w: UnsafePointer<Float>,
                                  bias b: UnsafePointer<Float>, units: Int, into y: UnsafeMutablePointer<Float>) -> Bool {
        listsAreCurrent = false
        // Narrower layers leave the listing to the kernel gradient: a forward pass that no
        // backward pass follows (validation) then lists nothing.
        guard units >= Self.forwardMinimumUnits, rows > 0 else { return false }
        let sparse = index(x, rows: rows, inputs: inputs)
        listsAreCurrent = true
        guard sparse, Self.allFinite(w, count: inputs * units) else { return false }
        let product = Self.table.sparse_forward!
        Products.pool.slices(rows) { _, range in product(inputs, units, range.lowerBound, range.upperBound, x, w, b, y) }
        return true
    }

    /// Whether the listed rows' non-zero values are few enough (`densityLimit`).
    private func sparseEnough(rows: Int, inputs: Int) -> Bool {
        let nonZero = counts[..<rows].reduce(0) { $0 + Int($1) }
        return Double(nonZero) <= Self.densityLimit * Double(rows * inputs)
    }

    /// Lists the non-zero values of `x` (rows × inputs) by row, the rows shared between the
    /// workers, and says whether they are few enough (`densityLimit`).
    private mutating func index(_ x: UnsafePointer<Float>, rows: Int, inputs: Int) -> Bool {
        if counts.count < rows { counts = [Int32](repeating: 0, count: rows) }
        if indices.count < rows * inputs { indices = [Int32](repeating: 0, count: rows * inputs) }
        let index = Self.table.sparse_index_rows!
        counts.withUnsafeMutableBufferPointer { counts in
            indices.withUnsafeMutableBufferPointer { indices in
                let (counts, indices) = (counts.baseAddress!, indices.baseAddress!)
                Products.pool.slices(rows) { _, range in index(x, inputs, range.lowerBound, range.upperBound, counts, indices) }
            }
        }
        return sparseEnough(rows: rows, inputs: inputs)
    }
}
