import CKernels

/// Winograd's F(4 × 4, 3 × 3) convolution for 3 × 3 kernels at stride 1 with 'same' padding
/// (the stronger CNN's layers after its first): each 4 × 4 block of outputs takes 36 products
/// a channel and filter instead of 144, in 36 "frequencies" where the convolution is a product
/// element by element (Lavin and Gray, CVPR 2016). Blocks that run past the last row or column
/// (a 14 × 14 layer's last) compute the outputs outside the image too, and store only the others.
///
/// Forward, the kernel is transformed once a pass (`prepareWeights`: u = G g Gᵀ), each item's
/// tiles go through the C kernel `winograd_forward`. Backward, the kernel gradient is summed in
/// the frequencies, in the runner's per-share accumulator, and brought back once a share
/// (`finishKernelGradient`: Gᵀ · du · G); the input gradient is the forward convolution of the
/// output gradient with the kernel turned by 180° and transposed (`arrangeWeights`), which for
/// 'same' padding and a 3 × 3 kernel is again a Winograd convolution. The transforms' sums have
/// the order written here and in `kernels.h`, so every CPU and thread count gets the same bits.
///
/// Its rounding differs from the direct algorithms' (the transforms add and subtract inputs
/// before the products, with factors up to 8 and 1/24); `WinogradTests` measures the error
/// against a Float64 convolution.
struct WinogradConvolution: ConvolutionAlgorithm {
    /// Channels and filters come in whole groups of this many (the kernels' blocks).
    static let width = 16
    let shape: ConvolutionGeometry
    /// The convolution the input gradient is: the output gradient's F channels in, C filters out.
    let transposed: ConvolutionGeometry

    init?(_ shape: ConvolutionGeometry) {
        guard shape.kernelHeight == 3, shape.kernelWidth == 3, shape.strideY == 1, shape.strideX == 1,
              shape.top == 1, shape.left == 1, shape.outputHeight == shape.height, shape.outputWidth == shape.width,
              shape.channels % Self.width == 0, shape.filters % Self.width == 0
        else { return nil }
        self.shape = shape
        transposed = shape.inputGradientConvolution
    }

    var geometry: ConvolutionGeometry { shape }

    /// Frequencies of the transformed kernel: 36 · C · F.
    var transformedCount: Int { Int(KERNELS_WINOGRAD_FREQUENCIES) * shape.channels * shape.filters }
    var preparedWeightsCount: Int { transformedCount }
    var arrangedWeightsCount: Int { transformedCount }
    var accumulatorCount: Int { transformedCount }

    /// A border tile's 6 × 6 pixels (the kernels read the others from the item itself), then the
    /// kernels' tiles: a forward group, or a whole item for the kernel gradient.
    var scratchCount: Int {
        kernels_winograd_scratch(shape.channels, shape.filters, shape.outputHeight, shape.outputWidth)
    }

    /// The kernels' shape: an unpadded item's rows, ow · C values apart.
    func kernelShape(_ g: ConvolutionGeometry) -> kernels_convolution {
        g.kernelShape(frameRow: g.width * g.channels)
    }

    func prepareWeights(_ w: UnsafePointer<Float>, into u: UnsafeMutablePointer<Float>) {
        let (c, f) = (shape.channels, shape.filters)
        Self.transform(channels: c, filters: f, into: u) { dy, dx, channel, filter in
            w[((dy * 3 + dx) * c + channel) * f + filter]
        }
    }

    /// The kernel turned by 180° and transposed, (3, 3, F, C), transformed.
    func arrangeWeights(_ w: UnsafePointer<Float>, into u: UnsafeMutablePointer<Float>) {
        let (c, f) = (shape.channels, shape.filters)
        Self.transform(channels: f, filters: c, into: u) { dy, dx, channel, filter in
            w[(((2 - dy) * 3 + (2 - dx)) * c + filter) * f + channel]
        }
    }

    func forward(_ x: UnsafePointer<Float>, items: Int, weights: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                 scratch: UnsafeMutablePointer<Float>, into y: UnsafeMutablePointer<Float>) {
        let (kernels, sizes) = (ComputeKernels.table.pointee, kernelShape(shape))
        for item in 0..<items {
            kernels.winograd_forward(sizes, x + item * shape.inputCount, weights, bias, scratch, y + item * shape.outputCount)
        }
    }

    /// Per item: the kernel gradient's frequencies added to the share's accumulator and, from
    /// the transformed turned kernel (`arranged`), the input gradient written over `dx` (which
    /// starts at zero).
    /// The input gradient is a Winograd forward pass, which stores every output.
    var writesWholeInputGradient: Bool { true }

    func backward(_ x: UnsafePointer<Float>, gradient dz: UnsafePointer<Float>, items: Int,
                  weights: UnsafePointer<Float>, arranged: UnsafePointer<Float>?,
                  scratch: UnsafeMutablePointer<Float>, accumulator: UnsafeMutablePointer<Float>,
                  inputGradient dx: UnsafeMutablePointer<Float>?) {
        let (kernels, sizes, back) = (ComputeKernels.table.pointee, kernelShape(shape), kernelShape(transposed))
        for item in 0..<items {
            let gradient = dz + item * shape.outputCount
            kernels.winograd_kernel_gradient(sizes, x + item * shape.inputCount, gradient, scratch, accumulator)
            if let dx, let arranged {
                kernels.winograd_forward(back, gradient, arranged, nil, scratch, dx + item * shape.inputCount)
            }
        }
    }

    /// dw = Gᵀ · du · G for every channel and filter, down the columns then along the rows.
    func finishKernelGradient(_ accumulator: UnsafePointer<Float>, into dw: UnsafeMutablePointer<Float>) {
        let pairs = shape.channels * shape.filters
        for pair in 0..<pairs {
            // The pair's 36 frequencies, d[6i + j]; t = Gᵀ d (3 × 6), then t G (3 × 3).
            @inline(__always) func d(_ i: Int, _ j: Int) -> Float { accumulator[(i * 6 + j) * pairs + pair] }
            var t = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
            for j in 0..<6 { (t.0[j], t.1[j], t.2[j]) = Self.back((d(0, j), d(1, j), d(2, j), d(3, j), d(4, j), d(5, j))) }
            for r in 0..<3 {
                let row = r == 0 ? t.0 : r == 1 ? t.1 : t.2
                let out = Self.back((row[0], row[1], row[2], row[3], row[4], row[5]))
                dw[(r * 3 + 0) * pairs + pair] = out.0
                dw[(r * 3 + 1) * pairs + pair] = out.1
                dw[(r * 3 + 2) * pairs + pair] = out.2
            }
        }
    }

    /// Gᵀ applied to six values: with p = d1 + d2, q = d2 − d1, s = d3 + d4, e = d3 − d4,
    /// (d0 / 4 − p / 6 + s / 24, q / 6 + e / 12, (s − p) / 6 + d5), left to right.
    @inline(__always)
    static func back(_ d: (Float, Float, Float, Float, Float, Float)) -> (Float, Float, Float) {
        let (p, q, s, e) = (d.1 + d.2, d.2 - d.1, d.3 + d.4, d.3 - d.4)
        return (d.0 / 4 - p / 6 + s / 24, q / 6 + e / 12, (s - p) / 6 + d.5)
    }

    /// G applied to three values (the first six lanes): (g0 / 4, −(g0 + g1 + g2) / 6, −(g0 − g1 + g2) / 6,
    /// (g0 / 4 + g1 / 2 + g2) / 6, (g0 / 4 − g1 / 2 + g2) / 6, g2), left to right.
    @inline(__always)
    static func forth(_ g0: Float, _ g1: Float, _ g2: Float) -> SIMD8<Float> {
        let (quarter, half) = (g0 / 4, g1 / 2)
        return SIMD8(quarter, -((g0 + g1) + g2) / 6, -((g0 - g1) + g2) / 6,
                     ((quarter + half) + g2) / 6, ((quarter - half) + g2) / 6, g2, 0, 0)
    }

    /// u[ξ, channel, filter] = (G g Gᵀ)[i, j], ξ = 6i + j, for the 3 × 3 kernel g of each pair,
    /// down the columns then along the rows.
    static func transform(channels c: Int, filters f: Int, into u: UnsafeMutablePointer<Float>,
                          weight: (Int, Int, Int, Int) -> Float) {
        let pairs = c * f
        for channel in 0..<c {
            for filter in 0..<f {
                let pair = channel * f + filter
                // t = G g (6 × 3), a column at a time; then each row of t times Gᵀ.
                @inline(__always) func column(_ q: Int) -> SIMD8<Float> {
                    forth(weight(0, q, channel, filter), weight(1, q, channel, filter), weight(2, q, channel, filter))
                }
                let (c0, c1, c2) = (column(0), column(1), column(2))
                for i in 0..<6 {
                    let row = forth(c0[i], c1[i], c2[i])
                    for j in 0..<6 { u[(i * 6 + j) * pairs + pair] = row[j] }
                }
            }
        }
    }
}
