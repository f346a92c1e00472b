/// The patch matrix of a convolution ("im2col") and its inverse ("col2im").
///
/// Row (item, oy, ox) of the patch matrix holds the window of output position (oy, ox) in
/// (dy, dx, channel) order, matching the kernel's (kh, kw, C) layout, so that the patch matrix
/// times the kernel seen as a (kh · kw · C) × F matrix is the convolution; positions outside the
/// input are zero.
extension ConvolutionGeometry {
    /// Columns of the patch matrix: kh · kw · C.
    var patchSize: Int { taps * channels }
    var positions: Int { outputHeight * outputWidth }

    /// im2col of `items` items. Each kernel row of a window is one contiguous run of kw · C input
    /// values where the window lies inside the image.
    func unroll(_ x: UnsafePointer<Float>, items: Int, into cols: UnsafeMutablePointer<Float>) {
        let (h, w, c, kh, kw) = (height, width, channels, kernelHeight, kernelWidth)
        let (oh, ow, sh, sw) = (outputHeight, outputWidth, strideY, strideX)
        let run = kw * c, k = kh * run
        var row = cols
        for item in 0..<items {
            let image = x + item * h * w * c
            for oy in 0..<oh {
                for ox in 0..<ow {
                    let x0 = ox * sw - left
                    for dy in 0..<kh {
                        let iy = oy * sh + dy - top
                        let dest = row + dy * run
                        if iy < 0 || iy >= h {
                            dest.update(repeating: 0, count: run)
                        } else if x0 >= 0 && x0 + kw <= w {
                            Self.copy(image + (iy * w + x0) * c, to: dest, count: run)
                        } else {
                            for dx in 0..<kw {
                                let ix = x0 + dx
                                if ix < 0 || ix >= w {
                                    (dest + dx * c).update(repeating: 0, count: c)
                                } else {
                                    Self.copy(image + (iy * w + ix) * c, to: dest + dx * c, count: c)
                                }
                            }
                        }
                    }
                    row += k
                }
            }
        }
    }

    /// Transposed im2col of `items` single-channel items at stride 1: kh · kw rows (tap (dy, dx))
    /// of items · oh · ow columns (position (item, oy, ox)), where each tap's row is whole input
    /// rows copied with a shift: runs of a row's length instead of kw values.
    func unrollTransposed(_ x: UnsafePointer<Float>, items: Int, into cols: UnsafeMutablePointer<Float>) {
        precondition(channels == 1 && strideX == 1 && strideY == 1, "transposed im2col needs one channel at stride 1")
        let (h, w, kh, kw, oh, ow) = (height, width, kernelHeight, kernelWidth, outputHeight, outputWidth)
        let columns = items * oh * ow
        for dy in 0..<kh {
            for dx in 0..<kw {
                var dest = cols + (dy * kw + dx) * columns
                // The output positions ox whose input column ox + dx − left lies inside the image.
                let first = max(0, left - dx), last = min(ow, w + left - dx)
                for item in 0..<items {
                    let image = x + item * h * w
                    for oy in 0..<oh {
                        let iy = oy + dy - top
                        if iy < 0 || iy >= h || first >= last {
                            dest.update(repeating: 0, count: ow)
                        } else {
                            if first > 0 { dest.update(repeating: 0, count: first) }
                            (dest + first).update(from: image + iy * w + first + dx - left, count: last - first)
                            if last < ow { (dest + last).update(repeating: 0, count: ow - last) }
                        }
                        dest += ow
                    }
                }
            }
        }
    }

    /// col2im of `items` items: adds every patch-matrix gradient back onto the input position it
    /// came from.
    func fold(_ dcols: UnsafePointer<Float>, items: Int, into dx: UnsafeMutablePointer<Float>) {
        let (h, w, c, kh, kw) = (height, width, channels, kernelHeight, kernelWidth)
        let (oh, ow, sh, sw) = (outputHeight, outputWidth, strideY, strideX)
        let run = kw * c, k = kh * run
        var row = dcols
        for item in 0..<items {
            let image = dx + item * h * w * c
            for oy in 0..<oh {
                for ox in 0..<ow {
                    let x0 = ox * sw - left
                    for dy in 0..<kh {
                        let iy = oy * sh + dy - top
                        guard iy >= 0 && iy < h else { continue }
                        let source = row + dy * run
                        if x0 >= 0 && x0 + kw <= w {
                            let dest = image + (iy * w + x0) * c
                            for i in 0..<run { dest[i] += source[i] }
                        } else {
                            for dx in 0..<kw where x0 + dx >= 0 && x0 + dx < w {
                                let dest = image + (iy * w + x0 + dx) * c
                                for ch in 0..<c { dest[ch] += source[dx * c + ch] }
                            }
                        }
                    }
                    row += k
                }
            }
        }
    }

    /// The convolution whose output is this one's input gradient, at stride 1: a correlation of
    /// the output gradient (oh × ow × F) with the kernel turned by 180° and transposed to
    /// (kh, kw, F, C), padded so that it has the input's size. With iy = oy + dy − top,
    /// dx[iy] = Σ dz[oy] · W[dy] = Σ dz[iy + dy′ − top′] · W[kh − 1 − dy′] where top′ = kh − 1 − top.
    var inputGradientConvolution: ConvolutionGeometry {
        precondition(strideX == 1 && strideY == 1, "the input gradient is a convolution at stride 1 only")
        return ConvolutionGeometry(
            height: outputHeight, width: outputWidth, channels: filters,
            kernelHeight: kernelHeight, kernelWidth: kernelWidth, filters: channels,
            strideY: 1, strideX: 1, outputHeight: height, outputWidth: width,
            top: kernelHeight - 1 - top, left: kernelWidth - 1 - left)
    }

    /// `count` values from `source` to `dest`, whole vectors at a time where they fit.
    @inline(__always)
    static func copy(_ source: UnsafePointer<Float>, to dest: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i + Kernels.width <= count {
            Kernels.store(Kernels.load(source + i), dest + i)
            i += Kernels.width
        }
        while i < count { dest[i] = source[i]; i += 1 }
    }
}
