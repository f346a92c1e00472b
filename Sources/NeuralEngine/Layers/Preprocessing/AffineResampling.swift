import CKernels

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
    /// The transforms' coefficients, six per image in the order a … f (the kernels' layout).
    private static func coefficients(_ transforms: [AffineTransform]) -> [Float] {
        transforms.flatMap { [$0.a, $0.b, $0.c, $0.d, $0.e, $0.f] }
    }

    /// The resampled images: output[n, y, x, :] = Σₖ wₖ · input[n, pₖ, :], each image by the
    /// kernel `affine_resample`, which computes the taps (flat pixel indices clamped into the
    /// image, weight 0 for a tap outside it) on the way.
    package static func forward(_ input: Tensor, transforms: [AffineTransform]) -> Tensor {
        let (height, width, channels) = (input.shape[1], input.shape[2], input.shape[3])
        let pixels = height * width, item = pixels * channels
        precondition(transforms.count == input.batchSize, "one transform per image: \(transforms.count) for \(input.batchSize)")
        let maps = coefficients(transforms)
        let resample = ComputeKernels.table.pointee.affine_resample!
        return Tensor(shape: input.shape) { out in
            input.scalars.withUnsafeBufferPointer { source in
                maps.withUnsafeBufferPointer { maps in
                    let (source, out, maps) = (source.baseAddress!, out.baseAddress!, maps.baseAddress!)
                    // Images are independent: each worker resamples a contiguous share.
                    Products.pool.slices(transforms.count) { _, images in
                        let indices = UnsafeMutablePointer<Int32>.allocate(capacity: 4 * pixels)
                        let weights = UnsafeMutablePointer<Float>.allocate(capacity: 4 * pixels)
                        defer { indices.deallocate(); weights.deallocate() }
                        for n in images {
                            resample(maps + 6 * n, height, width, channels, source + n * item, out + n * item, indices, weights)
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
        let maps = coefficients(transforms)
        let taps = ComputeKernels.table.pointee.affine_taps!
        return Tensor(shape: gradient.shape) { out in
            out.initialize(repeating: 0)
            gradient.scalars.withUnsafeBufferPointer { source in
                for n in transforms.indices {
                    maps.withUnsafeBufferPointer { taps($0.baseAddress! + 6 * n, height, width, indices, weights) }
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
