import CKernels

/// Convolution of a single-channel input at stride 1 (LeNet's first layer), without a patch matrix.
///
/// Vectors run along an output row, and several filters are computed at once, so each input
/// vector loaded serves several products, each against one broadcast weight. The sums come out
/// filter by filter ("planar") and are interleaved into the channels-last output row by row; the
/// backward pass makes the output gradient planar the same way. With filters in sixteens (the
/// stronger CNN's first layer), the same sums run the other way round, 16 filters of a column in
/// vectors and each input value broadcast, and read and write the channels-last tensors where
/// they lie (`conv_one_*`); the input gradient, which a first layer never needs, still goes
/// through the planar rows. The products are the C kernels `conv_rows_*` and `conv_one_*` of the
/// level in use (`ComputeKernels`), whose orders `kernels.h` states; this type owns the geometry,
/// the padding, the planar layout and the scratch.
struct SingleChannelRowsConvolution: ConvolutionAlgorithm {
    /// The planar rows' unit: output rows are rounded up to whole 16-value vectors (the widest
    /// level's), and must be at least that long.
    static let width = 16
    let shape: ConvolutionGeometry

    init?(_ shape: ConvolutionGeometry) {
        guard shape.channels == 1, shape.strideY == 1, shape.strideX == 1,
              shape.outputWidth >= Self.width else { return nil }
        self.shape = shape
    }

    var geometry: ConvolutionGeometry { shape }

    /// Whether the filters go in vectors (`conv_one_*`): in sixteens. Then the kernel-gradient
    /// sums are laid out (tap, column, filter), else (tap, filter, planar column).
    var filterVectors: Bool { shape.filters % 16 == 0 }

    /// The sizes the C kernels take.
    var kernelShape: kernels_convolution { shape.kernelShape(frameRow: shape.paddedWidth, planarWidth: planarWidth) }

    func forward(_ x: UnsafePointer<Float>, items: Int, weights: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                 scratch: UnsafeMutablePointer<Float>, into y: UnsafeMutablePointer<Float>) {
        let (kernels, sizes) = (ComputeKernels.table.pointee, kernelShape)
        for item in 0..<items {
            pad(x + item * shape.inputCount, into: scratch)
            if filterVectors {
                kernels.conv_one_forward(sizes, scratch, weights, bias, y + item * shape.outputCount)
            } else {
                kernels.conv_rows_forward(sizes, scratch, weights, bias, scratch + frameCount, y + item * shape.outputCount)
            }
        }
    }

    /// Per item: the padded frame, the planar gradient, its per-column kernel-gradient sums (the
    /// worker's accumulator) and, spread over a padded gradient frame, the input gradient.
    func backward(_ x: UnsafePointer<Float>, gradient dz: UnsafePointer<Float>, items: Int,
                  weights: UnsafePointer<Float>, arranged: UnsafePointer<Float>?,
                  scratch: UnsafeMutablePointer<Float>, accumulator: UnsafeMutablePointer<Float>,
                  inputGradient dx: UnsafeMutablePointer<Float>?) {
        let (kernels, sizes) = (ComputeKernels.table.pointee, kernelShape)
        let (frame, planar) = (scratch, scratch + frameCount)
        let gradientFrame = planar + planarCount
        for item in 0..<items {
            pad(x + item * shape.inputCount, into: frame)
            if filterVectors {
                kernels.conv_one_kernel_gradient(sizes, frame, dz + item * shape.outputCount, accumulator)
                if dx != nil { self.planar(dz + item * shape.outputCount, into: planar) }
            } else {
                self.planar(dz + item * shape.outputCount, into: planar)
                kernels.conv_rows_kernel_gradient(sizes, frame, planar, accumulator)
            }
            if let dx {
                gradientFrame.update(repeating: 0, count: frameCount)
                kernels.conv_rows_input_gradient(sizes, planar, weights, gradientFrame)
                shape.crop(gradientFrame, rowStride: shape.paddedWidth, into: dx + item * shape.inputCount)
            }
        }
    }

    var accumulatorCount: Int { laneSumsCount }

    func finishKernelGradient(_ accumulator: UnsafePointer<Float>, into dw: UnsafeMutablePointer<Float>) {
        dw.update(repeating: 0, count: shape.kernelCount)
        foldKernelGradient(accumulator, into: dw)
    }

    /// One item's zero-padded frame, the room after its last row zeroed too (vectors read into it).
    func pad(_ x: UnsafePointer<Float>, into frame: UnsafeMutablePointer<Float>) {
        let rows = shape.paddedHeight * shape.paddedWidth
        shape.pad(x, into: frame, rowStride: shape.paddedWidth)
        (frame + rows).update(repeating: 0, count: frameCount - rows)
    }

    /// An output row rounded up to whole vectors: the planar rows' length.
    var planarWidth: Int { (shape.outputWidth + Self.width - 1) / Self.width * Self.width }
    /// The padded input, with room for a whole planar row read from the start of its last row.
    var frameCount: Int { shape.paddedHeight * shape.paddedWidth + planarWidth }
    /// One item's output gradient, planar: filters × output rows × `planarWidth`.
    var planarCount: Int { shape.filters * shape.outputHeight * planarWidth }
    /// Scratch of one worker: the padded input, the planar rows, the padded input gradient.
    var scratchCount: Int { 2 * frameCount + planarCount }
    /// Per-column kernel-gradient sums of one worker: taps × filters × `planarWidth` (of which
    /// the filter vectors' layout uses taps × outputWidth × filters).
    var laneSumsCount: Int { shape.taps * shape.filters * planarWidth }

    /// One item's output gradient made planar (filter, row, column), zero beyond each row's end.
    func planar(_ dz: UnsafePointer<Float>, into rows: UnsafeMutablePointer<Float>) {
        let (f, oh, ow, pw) = (shape.filters, shape.outputHeight, shape.outputWidth, planarWidth)
        for filter in 0..<f {
            for oy in 0..<oh {
                let target = rows + (filter * oh + oy) * pw
                var source = dz + oy * ow * f + filter
                for ox in 0..<ow { target[ox] = source.pointee; source += f }
                (target + ow).update(repeating: 0, count: pw - ow)
            }
        }
    }

    /// Folds the per-column sums onto the kernel's (tap, filter) layout, adding to `dw`: each
    /// value is Σ over the columns ox < outputWidth, in order, of plain additions.
    func foldKernelGradient(_ sums: UnsafePointer<Float>, into dw: UnsafeMutablePointer<Float>) {
        let (f, ow) = (shape.filters, shape.outputWidth)
        for tap in 0..<shape.taps {
            for filter in 0..<f {
                var total: Float = 0
                if filterVectors {
                    for ox in 0..<ow { total += sums[(tap * ow + ox) * f + filter] }
                } else {
                    let lanes = sums + (tap * f + filter) * planarWidth
                    for ox in 0..<ow { total += lanes[ox] }
                }
                dw[tap * f + filter] += total
            }
        }
    }
}
