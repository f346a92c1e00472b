import CKernels

/// Convolution whose filters come in whole groups of 16 (LeNet's second layer), without a patch
/// matrix: the sixteen filters of one output position fill one 16-lane vector (or two of 8, four
/// of 4), and each input value is broadcast against the weight vectors of its tap.
///
/// The products are the C kernels `conv_filters_*` of the level in use (`ComputeKernels`), whose
/// orders `kernels.h` states; this type owns the geometry, the padding, the transposed kernel
/// and the scratch.
struct FilterVectorsConvolution: ConvolutionAlgorithm {
    /// Filters come in groups of this many; runs are padded to multiples of it.
    static let width = 16
    let shape: ConvolutionGeometry

    init?(_ shape: ConvolutionGeometry) {
        guard shape.filters % Self.width == 0 else { return nil }
        self.shape = shape
    }

    var geometry: ConvolutionGeometry { shape }

    /// The sizes the C kernels take.
    var kernelShape: kernels_convolution { shape.kernelShape(frameRow: frameRowStride, paddedRun: paddedRun) }

    func forward(_ x: UnsafePointer<Float>, items: Int, weights: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                 scratch: UnsafeMutablePointer<Float>, into y: UnsafeMutablePointer<Float>) {
        let (kernels, sizes) = (ComputeKernels.table.pointee, kernelShape)
        for item in 0..<items {
            shape.pad(x + item * shape.inputCount, into: scratch, rowStride: frameRowStride)
            kernels.conv_filters_forward(sizes, scratch, weights, bias, y + item * shape.outputCount)
        }
    }

    /// Per item: the padded frame, the kernel gradient added in the kernel's own layout and,
    /// from the transposed kernel (`arranged`), the input gradient.
    func backward(_ x: UnsafePointer<Float>, gradient dz: UnsafePointer<Float>, items: Int,
                  weights: UnsafePointer<Float>, arranged: UnsafePointer<Float>?,
                  scratch: UnsafeMutablePointer<Float>, accumulator: UnsafeMutablePointer<Float>,
                  inputGradient dx: UnsafeMutablePointer<Float>?) {
        let (kernels, sizes) = (ComputeKernels.table.pointee, kernelShape)
        let (frame, gradientFrame) = (scratch, scratch + frameCount)
        for item in 0..<items {
            let gradient = dz + item * shape.outputCount
            shape.pad(x + item * shape.inputCount, into: frame, rowStride: frameRowStride)
            kernels.conv_filters_kernel_gradient(sizes, frame, gradient, accumulator)
            if let dx, let arranged {
                gradientFrame.update(repeating: 0, count: frameCount)
                kernels.conv_filters_input_gradient(sizes, gradient, arranged, gradientFrame)
                shape.crop(gradientFrame, rowStride: frameRowStride, into: dx + item * shape.inputCount)
            }
        }
    }

    var arrangedWeightsCount: Int { transposedCount }

    func arrangeWeights(_ w: UnsafePointer<Float>, into arranged: UnsafeMutablePointer<Float>) {
        transpose(w, into: arranged)
    }

    /// Values in one row of the padded frame.
    var frameRowStride: Int { shape.paddedWidth * shape.channels }
    /// One kernel row's taps and channels (kw · C), the run the kernels walk.
    var run: Int { shape.kernelWidth * shape.channels }
    /// `run` rounded up to whole vectors: the transposed weights' row length.
    var paddedRun: Int { (run + Self.width - 1) / Self.width * Self.width }
    /// The padded input, with room for a padded run written from the end of its last row.
    var frameCount: Int { shape.paddedHeight * frameRowStride + paddedRun }
    /// Scratch of one worker: the padded input and the padded input gradient.
    var scratchCount: Int { 2 * frameCount }
    /// The kernel transposed to (kh, filters, kw · C), rows padded to `paddedRun` with zeros.
    var transposedCount: Int { shape.kernelHeight * shape.filters * paddedRun }

    func transpose(_ w: UnsafePointer<Float>, into t: UnsafeMutablePointer<Float>) {
        let (f, run, padded) = (shape.filters, run, paddedRun)
        t.update(repeating: 0, count: transposedCount)
        for dy in 0..<shape.kernelHeight {
            for k in 0..<run {
                for filter in 0..<f { t[(dy * f + filter) * padded + k] = w[(dy * run + k) * f + filter] }
            }
        }
    }
}
