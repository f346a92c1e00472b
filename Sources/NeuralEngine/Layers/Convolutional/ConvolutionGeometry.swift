/// The sizes of one convolution, as its kernels need them.
///
/// Every kernel reads a zero-padded copy of one input item in which each window lies whole:
/// `paddedHeight × paddedWidth` pixels of `channels` values, the item placed at (`top`, `left`).
struct ConvolutionGeometry: Sendable {
    let height: Int, width: Int, channels: Int
    let kernelHeight: Int, kernelWidth: Int, filters: Int
    let strideY: Int, strideX: Int
    let outputHeight: Int, outputWidth: Int
    let top: Int, left: Int

    var taps: Int { kernelHeight * kernelWidth }
    var paddedHeight: Int { (outputHeight - 1) * strideY + kernelHeight }
    var paddedWidth: Int { (outputWidth - 1) * strideX + kernelWidth }
    var inputCount: Int { height * width * channels }
    var outputCount: Int { outputHeight * outputWidth * filters }
    /// Values of the kernel: kh · kw · C · F.
    var kernelCount: Int { taps * channels * filters }

    /// Copies one item into its zero-padded frame: `paddedWidth · channels` values a row,
    /// rows `rowStride` apart (the tail of each row beyond the frame is zeroed too).
    func pad(_ x: UnsafePointer<Float>, into frame: UnsafeMutablePointer<Float>, rowStride: Int) {
        // The padded columns px whose input column px − left exists; the rest of a row is zero.
        let first = max(0, left), last = max(first, min(paddedWidth, width + left))
        for py in 0..<paddedHeight {
            let row = frame + py * rowStride
            let iy = py - top
            guard iy >= 0 && iy < height, first < last else {
                row.update(repeating: 0, count: rowStride)
                continue
            }
            row.update(repeating: 0, count: first * channels)
            (row + first * channels).update(from: x + (iy * width + first - left) * channels, count: (last - first) * channels)
            (row + last * channels).update(repeating: 0, count: rowStride - last * channels)
        }
    }

    /// Adds the input-sized part of a padded gradient frame onto one item's input gradient.
    func crop(_ frame: UnsafePointer<Float>, rowStride: Int, into dx: UnsafeMutablePointer<Float>) {
        for iy in 0..<height {
            let py = iy + top
            guard py < paddedHeight else { break }
            let first = max(0, -left), last = min(width, paddedWidth - left)
            guard first < last else { continue }
            let source = frame + py * rowStride + (first + left) * channels
            let dest = dx + (iy * width + first) * channels
            for i in 0..<(last - first) * channels { dest[i] += source[i] }
        }
    }
}
