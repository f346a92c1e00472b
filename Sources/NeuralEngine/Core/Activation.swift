import CKernels

import Architecture

extension Activation {
    /// Applies the activation in place to `rows` rows of `columns` values.
    package func apply(_ x: UnsafeMutablePointer<Float>, rows: Int, columns: Int) {
        switch self {
        case .linear:
            return
        case .relu:
            Kernels.relu(x, count: rows * columns)
        case .softmax:
            for row in 0..<rows {
                let z = x + row * columns
                var largest = z[0]
                for j in 1..<columns { largest = max(largest, z[j]) }
                for j in 0..<columns { z[j] -= largest }
            }
            // Elementary.exp(Float) on every value at once: whole vectors, not a tail per row.
            ComputeKernels.table.pointee.exp(x, rows * columns)
            for row in 0..<rows {
                let z = x + row * columns
                var sum: Float = 0
                for j in 0..<columns { sum += z[j] }
                let scale = 1 / sum
                for j in 0..<columns { z[j] *= scale }
            }
        }
    }

    /// Turns the gradient with respect to the activation's output `y` into the gradient with
    /// respect to its input, in place: ReLU keeps it where y > 0; softmax applies its Jacobian,
    /// dz = y ⊙ (dy − Σⱼ dyⱼ yⱼ).
    package func backward(output y: UnsafePointer<Float>, gradient g: UnsafeMutablePointer<Float>,
                          rows: Int, columns: Int) {
        switch self {
        case .linear:
            return
        case .relu:
            Kernels.reluMask(output: y, gradient: g, count: rows * columns)
        case .softmax:
            for row in 0..<rows {
                let base = row * columns
                var dot: Float = 0
                for j in 0..<columns { dot += g[base + j] * y[base + j] }
                for j in 0..<columns { g[base + j] = y[base + j] * (g[base + j] - dot) }
            }
        }
    }
}

