/// One way of computing a convolution: the forward product and all three gradients (input,
/// kernel and, through the caller, bias), for a chunk of consecutive items on one worker's thread.
///
/// `ConvolutionRunner` is the only caller: it cuts the batch into one share per worker and each
/// share into chunks of `itemsPerChunk` items, applies the activation (forward) and its
/// derivative and the bias gradient (backward) chunk by chunk, and sums the workers' kernel
/// gradients in worker order. An algorithm only computes products. Pointers are valid for the
/// call; every item is `geometry.inputCount` values in, `geometry.outputCount` values out.
protocol ConvolutionAlgorithm: Sendable {
    var geometry: ConvolutionGeometry { get }
    /// Items computed together: a chunk's scratch should stay in cache.
    var itemsPerChunk: Int { get }
    /// Scratch values one worker needs for one chunk (contents undefined on entry).
    var scratchCount: Int { get }
    /// Values of one worker's kernel-gradient accumulator (zero before the worker's first chunk).
    var accumulatorCount: Int { get }
    /// Values of the kernel rearranged once per backward pass for the input gradient (0: none).
    var arrangedWeightsCount: Int { get }
    /// Values of the kernel prepared once per forward pass (0: `forward` reads the kernel itself).
    var preparedWeightsCount: Int { get }
    /// Whether `backward` writes every value of an item's input gradient rather than adding onto
    /// it, so the runner need not zero the buffer first.
    var writesWholeInputGradient: Bool { get }

    /// The kernel, (kh, kw, C, F), prepared for `forward`'s `weights`.
    func prepareWeights(_ w: UnsafePointer<Float>, into prepared: UnsafeMutablePointer<Float>)

    /// The pre-activation outputs of `items` items (bias included); `weights` is the kernel as
    /// `prepareWeights` left it, or the kernel itself when the algorithm prepares nothing.
    func forward(_ x: UnsafePointer<Float>, items: Int, weights: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                 scratch: UnsafeMutablePointer<Float>, into y: UnsafeMutablePointer<Float>)

    /// The kernel, (kh, kw, C, F) as Keras lays it out, rearranged for `backward`'s `arranged`.
    func arrangeWeights(_ w: UnsafePointer<Float>, into arranged: UnsafeMutablePointer<Float>)

    /// For `items` items and their pre-activation gradient `dz`: adds their kernel gradient to
    /// the worker's `accumulator` and, when `dx` is given, adds their input gradient to `dx`
    /// (which starts at zero).
    func backward(_ x: UnsafePointer<Float>, gradient dz: UnsafePointer<Float>, items: Int,
                  weights: UnsafePointer<Float>, arranged: UnsafePointer<Float>?,
                  scratch: UnsafeMutablePointer<Float>, accumulator: UnsafeMutablePointer<Float>,
                  inputGradient dx: UnsafeMutablePointer<Float>?)

    /// A worker's accumulator as a kernel gradient in the kernel's layout, written over `dw`.
    func finishKernelGradient(_ accumulator: UnsafePointer<Float>, into dw: UnsafeMutablePointer<Float>)
}

extension ConvolutionAlgorithm {
    var itemsPerChunk: Int { 1 }
    var accumulatorCount: Int { geometry.kernelCount }
    var arrangedWeightsCount: Int { 0 }
    var preparedWeightsCount: Int { 0 }
    var writesWholeInputGradient: Bool { false }
    func prepareWeights(_ w: UnsafePointer<Float>, into prepared: UnsafeMutablePointer<Float>) {}
    func arrangeWeights(_ w: UnsafePointer<Float>, into arranged: UnsafeMutablePointer<Float>) {}
    func finishKernelGradient(_ accumulator: UnsafePointer<Float>, into dw: UnsafeMutablePointer<Float>) {
        dw.update(from: accumulator, count: geometry.kernelCount)
    }
}

/// The convolution algorithms, as `Conv2D` chooses or a caller (a test, a benchmark) forces them.
public enum ConvolutionAlgorithmKind: String, CaseIterable, Sendable {
    /// A single input channel at stride 1 with output rows of 16 or more: vectors along the rows.
    case singleChannelRows
    /// Filters in whole 16-lane vectors: each input value broadcast against its tap's weights.
    case filterVectors
    /// im2col and matrix products; at stride 1 the input gradient is itself a convolution.
    case patchMatrix
    /// Winograd's F(4 × 4, 3 × 3): 3 × 3 kernels at stride 1 and 'same' padding, channels and
    /// filters in groups of 16; 36 products a 4 × 4 tile instead of 144.
    case winograd

    /// The algorithm `Conv2D` uses for a shape, the choice made here and only here:
    /// - one input channel at stride 1 (LeNet's first layer, any CNN's first layer): rows of
    ///   vectors, since a patch matrix of kh·kw columns would be a skinny, memory-bound product;
    /// - 3 × 3 kernels at stride 1 with 'same' padding, channels and filters in sixteens (the
    ///   stronger CNN's other layers): Winograd, 36 products a 4 × 4 tile instead of 144 (with
    ///   F(2 × 2) in engine 4, cnn16's three such layers took 7.9 s of a 15.6 s epoch against
    ///   10.7 s with broadcasting, `bench --layers`, 2-core Xeon with AVX-512; F(4 × 4) takes
    ///   0.945 × F(2 × 2)'s epoch, `scripts/bench-compare`);
    /// - other layers with few input channels (fewer than `broadcastingChannelLimit`) with filters in groups of 16
    ///   (LeNet's second layer): broadcasting, whose short runs (kw·C values) beat a patch
    ///   matrix's copies;
    /// - everything else: a patch matrix and the engine's matrix product.
    static func choice(for geometry: ConvolutionGeometry) -> ConvolutionAlgorithmKind {
        if SingleChannelRowsConvolution(geometry) != nil { return .singleChannelRows }
        if WinogradConvolution(geometry) != nil { return .winograd }
        if geometry.channels < broadcastingChannelLimit, FilterVectorsConvolution(geometry) != nil { return .filterVectors }
        return .patchMatrix
    }

    /// Below this many input channels, broadcasting kernels beat a patch matrix (see `choice(for:)`).
    ///
    /// One constant for every CPU and kernel level, not a per-CPU tuning: the two algorithms sum
    /// in different orders, so a CPU that chose otherwise would compute other bits; with one
    /// limit, every CPU chooses the same algorithm and computes the same bits. 64 was the AVX-512
    /// build's limit, and broadcasting stays ahead below it at both levels with FMA: on a 2-core
    /// Xeon (Sapphire Rapids class), a batch of 128 through the 28 × 28 × 32 → 32 layer of
    /// `bench --conv` takes 0.071 s forward and backward instead of 0.144 s with a patch matrix
    /// with the AVX2 kernels (0.050 s instead of 0.128 s with AVX-512), the 14 × 14 × 32 → 64
    /// layer 0.046 s instead of 0.056 s (0.024 s instead of 0.049 s).
    package static let broadcastingChannelLimit = 64

    /// The algorithm of this kind for `geometry`, or nil when it cannot take that shape.
    func algorithm(for geometry: ConvolutionGeometry) -> (any ConvolutionAlgorithm)? {
        switch self {
        case .singleChannelRows: SingleChannelRowsConvolution(geometry)
        case .filterVectors: FilterVectorsConvolution(geometry)
        case .patchMatrix: PatchMatrixConvolution(geometry)
        case .winograd: WinogradConvolution(geometry)
        }
    }
}
