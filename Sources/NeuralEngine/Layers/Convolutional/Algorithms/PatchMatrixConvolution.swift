/// Convolution as matrix products on a patch matrix (im2col, see `ConvolutionGeometry.unroll`):
/// any shape, and the fast one for many channels (64 or more, or shapes the direct and
/// Winograd kernels cannot take).
///
/// For a chunk of items with patch matrix P (rows · kh·kw·C) and the kernel W seen as
/// (kh·kw·C) × F, all products going to the engine's own product on the worker's thread:
/// - forward: Z = P · W + b;
/// - kernel gradient: dW += Pᵀ · dZ (P unrolled again: cheaper than keeping a whole batch's);
/// - input gradient at stride 1: itself a convolution, the patch matrix of dZ (padded to the
///   input's size) times the kernel turned by 180° and transposed (`arrangeWeights`), written
///   straight into dX; at other strides dP = dZ · Wᵀ added back onto dX (col2im).
///
/// A single-channel input at stride 1 is unrolled transposed (one row per tap), copying whole
/// input rows rather than kw-value runs.
struct PatchMatrixConvolution: ConvolutionAlgorithm {
    let geometry: ConvolutionGeometry
    let itemsPerChunk: Int
    /// Unrolled transposed: (kh·kw) × rows instead of rows × (kh·kw).
    let transposed: Bool
    /// The input gradient is the convolution `gradientGeometry` (stride 1), not a col2im.
    let gradientIsConvolution: Bool

    /// Scratch a chunk should stay within, in values: it is written, then read by the product
    /// while still in the core's cache.
    static let chunkBudget = 1 << 17

    init(_ geometry: ConvolutionGeometry) {
        self.geometry = geometry
        transposed = geometry.channels == 1 && geometry.strideX == 1 && geometry.strideY == 1
        gradientIsConvolution = geometry.strideX == 1 && geometry.strideY == 1
        let perItem = max(geometry.positions * geometry.patchSize,
                          geometry.height * geometry.width * geometry.taps * geometry.filters)
        itemsPerChunk = max(1, Self.chunkBudget / perItem)
    }

    private var gradientGeometry: ConvolutionGeometry { geometry.inputGradientConvolution }

    /// One patch matrix at a time: the input's, then (backward) that of the output gradient or
    /// the patch gradient, in the same place.
    var scratchCount: Int {
        let g = geometry
        return itemsPerChunk * max(g.positions * g.patchSize, gradientIsConvolution ? g.height * g.width * g.taps * g.filters : 0)
    }

    func forward(_ x: UnsafePointer<Float>, items: Int, weights w: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                 scratch cols: UnsafeMutablePointer<Float>, into y: UnsafeMutablePointer<Float>) {
        let (k, f, rows) = (geometry.patchSize, geometry.filters, items * geometry.positions)
        Kernels.broadcastRows(bias, rows: rows, columns: f, into: y)
        if transposed {
            geometry.unrollTransposed(x, items: items, into: cols)
            Products.serialGemm(transposeA: true, m: rows, n: f, k: k, a: cols, lda: rows, b: w, ldb: f, beta: 1, c: y, ldc: f)
        } else {
            geometry.unroll(x, items: items, into: cols)
            Products.serialGemm(m: rows, n: f, k: k, a: cols, lda: k, b: w, ldb: f, beta: 1, c: y, ldc: f)
        }
    }

    var arrangedWeightsCount: Int { gradientIsConvolution ? geometry.kernelCount : 0 }

    /// W′[dy′, dx′, f, c] = W[kh − 1 − dy′, kw − 1 − dx′, c, f].
    func arrangeWeights(_ w: UnsafePointer<Float>, into arranged: UnsafeMutablePointer<Float>) {
        let (kh, kw, c, f) = (geometry.kernelHeight, geometry.kernelWidth, geometry.channels, geometry.filters)
        for dy in 0..<kh {
            for dx in 0..<kw {
                let source = w + ((kh - 1 - dy) * kw + (kw - 1 - dx)) * c * f
                let target = arranged + (dy * kw + dx) * f * c
                for channel in 0..<c {
                    for filter in 0..<f { target[filter * c + channel] = source[channel * f + filter] }
                }
            }
        }
    }

    func backward(_ x: UnsafePointer<Float>, gradient dz: UnsafePointer<Float>, items: Int,
                  weights w: UnsafePointer<Float>, arranged: UnsafePointer<Float>?,
                  scratch cols: UnsafeMutablePointer<Float>, accumulator dw: UnsafeMutablePointer<Float>,
                  inputGradient dx: UnsafeMutablePointer<Float>?) {
        let (c, k, f, rows) = (geometry.channels, geometry.patchSize, geometry.filters, items * geometry.positions)
        if transposed {
            geometry.unrollTransposed(x, items: items, into: cols)
            Products.serialGemm(m: k, n: f, k: rows, a: cols, lda: rows, b: dz, ldb: f, beta: 1, c: dw, ldc: f)
        } else {
            geometry.unroll(x, items: items, into: cols)
            Products.serialGemm(transposeA: true, m: k, n: f, k: rows, a: cols, lda: k, b: dz, ldb: f, beta: 1, c: dw, ldc: f)
        }
        guard let dx else { return }
        if gradientIsConvolution, let arranged {
            let g = gradientGeometry
            g.unroll(dz, items: items, into: cols)
            Products.serialGemm(m: items * g.positions, n: c, k: g.patchSize, a: cols, lda: g.patchSize, b: arranged, ldb: c,
                            beta: 0, c: dx, ldc: c)
        } else {
            Products.serialGemm(transposeB: true, m: rows, n: k, k: f, a: dz, lda: f, b: w, ldb: f, c: cols, ldc: k)
            geometry.fold(cols, items: items, into: dx)
        }
    }
}
