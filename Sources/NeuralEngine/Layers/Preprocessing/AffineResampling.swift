#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A map from an output pixel (column x, row y) to the input point it samples,
/// (x′, y′) = (a·x + b·y + c, d·x + e·y + f): Keras's `affine_transform` [a, b, c, d, e, f, 0, 0].
package struct AffineTransform: Equatable, Sendable {
    package var a, b, c, d, e, f: Float

    /// output(x, y) = input(x − dx, y − dy): the image moved by (dx, dy) pixels.
    package static func translation(dx: Float, dy: Float) -> AffineTransform {
        AffineTransform(a: 1, b: 0, c: -dx, d: 0, e: 1, f: -dy)
    }

    /// The image turned by `angle` radians about its centre ((width − 1) / 2, (height − 1) / 2),
    /// as Keras's `RandomRotation` builds it.
    package static func rotation(angle: Float, height: Int, width: Int) -> AffineTransform {
        let turn = Elementary.sineCosine(Double(angle))
        let (cosine, sine) = (Float(turn.cos), Float(turn.sin))
        let (cx, cy) = (Float(width - 1) / 2, Float(height - 1) / 2)
        return AffineTransform(a: cosine, b: -sine, c: cx - cosine * cx + sine * cy,
                               d: sine, e: cosine, f: cy - sine * cx - cosine * cy)
    }
}

/// Bilinear resampling of (N, H, W, C) images through one affine transform per image, with
/// constant fill 0: each output value is Σₖ wₖ · input[pₖ] over the four pixels pₖ around the
/// sampled point, with bilinear weights wₖ, and a pixel outside the image reads 0. For fixed
/// transforms the output is linear in the input, so the backward pass is its exact adjoint:
/// each output gradient is spread back onto the same four pixels with the same weights.
package enum AffineResampling {
    /// The four taps of every output pixel of one image: flat pixel indices (clamped into the
    /// image) and weights (0 for a tap outside it), so the channel loops have no branches.
    private static func taps(_ t: AffineTransform, height: Int, width: Int,
                             indices: UnsafeMutablePointer<Int32>, weights: UnsafeMutablePointer<Float>) {
        let (w, h) = (Float(width), Float(height))
        @inline(__always) func tap(_ row: Float, _ column: Float, _ weight: Float, _ slot: Int) {
            let inside = row >= 0 && row < h && column >= 0 && column < w
            indices[slot] = inside ? Int32(row) * Int32(width) + Int32(column) : 0
            weights[slot] = inside ? weight : 0
        }
        var slot = 0
        for y in 0..<height {
            for x in 0..<width {
                let sx = t.a * Float(x) + t.b * Float(y) + t.c, sy = t.d * Float(x) + t.e * Float(y) + t.f
                let x0 = sx.rounded(.down), y0 = sy.rounded(.down)
                let (fx, fy) = (sx - x0, sy - y0)
                tap(y0, x0, (1 - fy) * (1 - fx), slot)
                tap(y0, x0 + 1, (1 - fy) * fx, slot + 1)
                tap(y0 + 1, x0, fy * (1 - fx), slot + 2)
                tap(y0 + 1, x0 + 1, fy * fx, slot + 3)
                slot += 4
            }
        }
    }

    /// The resampled images: output[n, y, x, :] = Σₖ wₖ · input[n, pₖ, :].
    package static func forward(_ input: Tensor, transforms: [AffineTransform]) -> Tensor {
        let (height, width, channels) = (input.shape[1], input.shape[2], input.shape[3])
        let pixels = height * width, item = pixels * channels
        precondition(transforms.count == input.batchSize, "one transform per image: \(transforms.count) for \(input.batchSize)")
        return Tensor(shape: input.shape) { out in
            input.scalars.withUnsafeBufferPointer { source in
                let (source, out) = (source.baseAddress!, out.baseAddress!)
                // Images are independent: each worker resamples a contiguous share.
                Products.pool.slices(transforms.count) { _, images in
                    let indices = UnsafeMutablePointer<Int32>.allocate(capacity: 4 * pixels)
                    let weights = UnsafeMutablePointer<Float>.allocate(capacity: 4 * pixels)
                    defer { indices.deallocate(); weights.deallocate() }
                    for n in images {
                        taps(transforms[n], height: height, width: width, indices: indices, weights: weights)
                        let (x, y) = (source + n * item, out + n * item)
                        // One channel (a digit): the general loop's inner loop of one step cost
                        // the two augmentation layers 15 % more (0.59 against 0.51 s a cnn16
                        // epoch, `bench --layers`, three interleaved pairs).
                        if channels == 1 {
                            for p in 0..<pixels {
                                let (i, w) = (indices + 4 * p, weights + 4 * p)
                                y[p] = w[0] * x[Int(i[0])] + w[1] * x[Int(i[1])] + w[2] * x[Int(i[2])] + w[3] * x[Int(i[3])]
                            }
                            continue
                        }
                        for p in 0..<pixels {
                            let (i, w) = (indices + 4 * p, weights + 4 * p)
                            let (i0, i1, i2, i3) = (Int(i[0]) * channels, Int(i[1]) * channels, Int(i[2]) * channels, Int(i[3]) * channels)
                            for ch in 0..<channels {
                                y[p * channels + ch] = w[0] * x[i0 + ch] + w[1] * x[i1 + ch] + w[2] * x[i2 + ch] + w[3] * x[i3 + ch]
                            }
                        }
                    }
                }
            }
        }
    }

    /// The adjoint of `forward` with the same transforms: ∂L/∂input[n, pₖ, :] += wₖ · g[n, y, x, :].
    package static func backward(_ gradient: Tensor, transforms: [AffineTransform]) -> Tensor {
        let (height, width, channels) = (gradient.shape[1], gradient.shape[2], gradient.shape[3])
        let pixels = height * width, item = pixels * channels
        precondition(transforms.count == gradient.batchSize, "one transform per image: \(transforms.count) for \(gradient.batchSize)")
        let indices = UnsafeMutablePointer<Int32>.allocate(capacity: 4 * pixels)
        let weights = UnsafeMutablePointer<Float>.allocate(capacity: 4 * pixels)
        defer { indices.deallocate(); weights.deallocate() }
        return Tensor(shape: gradient.shape) { out in
            out.initialize(repeating: 0)
            gradient.scalars.withUnsafeBufferPointer { source in
                for (n, transform) in transforms.enumerated() {
                    taps(transform, height: height, width: width, indices: indices, weights: weights)
                    let (g, dx) = (source.baseAddress! + n * item, out.baseAddress! + n * item)
                    for p in 0..<pixels {
                        let (i, w) = (indices + 4 * p, weights + 4 * p)
                        for k in 0..<4 {
                            let (target, weight) = (dx + Int(i[k]) * channels, w[k])
                            for ch in 0..<channels { target[ch] += weight * g[p * channels + ch] }
                        }
                    }
                }
            }
        }
    }
}
