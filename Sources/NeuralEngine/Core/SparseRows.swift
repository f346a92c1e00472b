import CKernels

/// The non-zero values of a batch of rows (a Dense layer's input), listed by row for the forward
/// product and by column for the kernel gradient, so that both visit only those values.
///
/// 80.9 % of MNIST's training pixels are exactly zero, and a hidden layer's input after ReLU is
/// often half zeros. Skipping a zero term of a fused multiply-add chain changes at most the sign
/// of a zero sum, and the kernels recompute any element that ends as −0 along the whole chain
/// (see `CKernels`), so the products here give the dense products' bits whenever the right
/// factor is finite; the callers check that it is. Whether a batch goes this way or the dense
/// way is therefore a matter of speed alone, and may differ between CPUs or batches.
///
/// The lists are rebuilt for every batch into buffers kept between batches.
package struct SparseRows {
    /// A batch goes the sparse way when at most this share of its values are non-zero. Both ways
    /// run at a few tenths of this fraction's crossover on a 2-core Xeon with AVX-512 (`bench
    /// --layers`, mlp500: the first layer's input has 19 % non-zero values, the second's about
    /// 45 %); above it the dense product's register tiles win.
    package static let densityLimit = 0.5

    private(set) var rows = 0, inputs = 0
    private var starts: [Int32] = []
    private var indices: [Int32] = []
    private var columnStarts: [Int32] = []
    private var items: [Int32] = []
    private var transposed = false

    package init() {}

    private static var table: kernels_table { ComputeKernels.table.pointee }

    /// Lists the non-zero values of `x` (rows × inputs) and says whether they are few enough for
    /// the sparse products (`densityLimit`).
    package mutating func index(_ x: UnsafePointer<Float>, rows: Int, inputs: Int) -> Bool {
        (self.rows, self.inputs, transposed) = (rows, inputs, false)
        if starts.count < rows + 1 { starts = [Int32](repeating: 0, count: rows + 1) }
        if indices.count < rows * inputs { indices = [Int32](repeating: 0, count: rows * inputs) }
        let index = Self.table.sparse_index_rows!
        starts.withUnsafeMutableBufferPointer { starts in
            indices.withUnsafeMutableBufferPointer { indices in
                index(x, rows, inputs, starts.baseAddress!, indices.baseAddress!)
            }
        }
        return Double(starts[rows]) <= Self.densityLimit * Double(rows * inputs)
    }

    /// Whether none of `count` values is infinite or NaN: the condition for the sparse products
    /// to give the dense products' bits.
    package static func allFinite(_ x: UnsafePointer<Float>, count: Int) -> Bool {
        table.all_finite(x, count) != 0
    }

    /// y = x · w + bias for the indexed x (rows × inputs), w (inputs × units): row r's values in
    /// order of the row's non-zero inputs, as the dense product's chains; the columns are shared
    /// between the engine's workers.
    package func forward(_ x: UnsafePointer<Float>, weights w: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                         units: Int, into y: UnsafeMutablePointer<Float>) {
        let (rows, inputs, product) = (rows, inputs, Self.table.sparse_forward!)
        let blocks = (units + Kernels.width - 1) / Kernels.width
        starts.withUnsafeBufferPointer { starts in
            indices.withUnsafeBufferPointer { indices in
                let (starts, indices) = (starts.baseAddress!, indices.baseAddress!)
                BLAS.pool.slices(blocks) { _, range in
                    let j0 = range.lowerBound * Kernels.width, j1 = min(range.upperBound * Kernels.width, units)
                    product(inputs, units, 0, rows, j0, j1, starts, indices, x, w, bias, y)
                }
            }
        }
    }

    /// dw = xᵀ · dz for the indexed x (rows × inputs) and dz (rows × units): each element's chain
    /// over the items in order, as the dense product's; the kernel's rows are shared between the
    /// engine's workers.
    package mutating func weightGradient(_ x: UnsafePointer<Float>, outputGradient dz: UnsafePointer<Float>, units: Int,
                                         into dw: UnsafeMutablePointer<Float>) {
        let (rows, inputs, product) = (rows, inputs, Self.table.sparse_weight_gradient!)
        if !transposed {
            if columnStarts.count < inputs + 1 { columnStarts = [Int32](repeating: 0, count: inputs + 1) }
            if items.count < indices.count { items = [Int32](repeating: 0, count: indices.count) }
            starts.withUnsafeBufferPointer { starts in
                indices.withUnsafeBufferPointer { indices in
                    columnStarts.withUnsafeMutableBufferPointer { columnStarts in
                        items.withUnsafeMutableBufferPointer { items in
                            kernels_sparse_transpose(rows, inputs, starts.baseAddress!, indices.baseAddress!,
                                                     columnStarts.baseAddress!, items.baseAddress!)
                        }
                    }
                }
            }
            transposed = true
        }
        columnStarts.withUnsafeBufferPointer { starts in
            items.withUnsafeBufferPointer { items in
                let (starts, items) = (starts.baseAddress!, items.baseAddress!)
                BLAS.pool.slices(inputs) { _, range in
                    product(rows, inputs, units, range.lowerBound, range.upperBound, starts, items, x, dz, dw)
                }
            }
        }
    }
}
