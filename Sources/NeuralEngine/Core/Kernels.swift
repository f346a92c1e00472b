import CKernels

/// Element-wise loops the products leave over, so that they run at memory speed: the hottest
/// (ReLU, its mask, the optimisers' scale-and-add) in the C kernels at the CPU's level, the rest
/// with explicit SIMD here (the compiler cannot prove that the pointers do not alias, and would
/// keep them scalar).
package enum Kernels {
    package typealias Vector = SIMD16<Float>
    package static let width = Vector.scalarCount

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> Vector {
        UnsafeRawPointer(p).loadUnaligned(as: Vector.self)
    }

    @inline(__always)
    static func store(_ v: Vector, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: Vector.self)
    }

    /// x ← max(x, 0) (NaN and −0 kept), at the CPU's kernel level.
    package static func relu(_ x: UnsafeMutablePointer<Float>, count: Int) {
        ComputeKernels.table.pointee.relu(x, count)
    }

    /// g ← g where y > 0, else 0: the ReLU derivative from its output.
    package static func reluMask(output y: UnsafePointer<Float>, gradient g: UnsafeMutablePointer<Float>, count: Int) {
        ComputeKernels.table.pointee.relu_mask(y, g, count)
    }

    /// sums[j] = Σ_r x[r, j] over `rows` rows of `columns` values (the bias gradient): each
    /// column's chain from 0, the rows in order.
    package static func columnSums(_ x: UnsafePointer<Float>, rows: Int, columns: Int, into sums: UnsafeMutablePointer<Float>) {
        if columns % 16 == 0 {
            // Columns in whole vectors at every level: the C kernel's lane chains, the same sums.
            ComputeKernels.table.pointee.lane_sums(x, nil, columns, rows, sums)
            return
        }
        sums.update(repeating: 0, count: columns)
        if columns < width {
            // Few columns (a convolution's filters): the rows, read as one flat run, repeat their
            // column pattern every lcm(16, columns) values; that many lanes are summed apart
            // (a few vectors), then folded back onto the columns.
            var (a, b) = (width, columns)
            while b != 0 { (a, b) = (b, a % b) }
            let period = width / a * columns, vectors = period / width
            let total = rows * columns
            let lanes = UnsafeMutablePointer<Float>.allocate(capacity: period)
            defer { lanes.deallocate() }
            lanes.initialize(repeating: 0, count: period)
            var i = 0
            while i + period <= total {
                for v in 0..<vectors {
                    let lane = lanes + v * width
                    store(load(lane) + load(x + i + v * width), lane)
                }
                i += period
            }
            for lane in 0..<period { sums[lane % columns] += lanes[lane] }
            while i < total { sums[i % columns] += x[i]; i += 1 }
            return
        }
        for r in 0..<rows {
            let row = x + r * columns
            var j = 0
            while j + width <= columns {
                store(load(sums + j) + load(row + j), sums + j)
                j += width
            }
            while j < columns { sums[j] += row[j]; j += 1 }
        }
    }

    /// Each of `rows` rows of `columns` values ← `vector` (the bias, before the product adds in).
    package static func broadcastRows(_ vector: UnsafePointer<Float>, rows: Int, columns: Int, into x: UnsafeMutablePointer<Float>) {
        for r in 0..<rows { (x + r * columns).update(from: vector, count: columns) }
    }

    /// y ← y · scale + x · alpha, element-wise (no fused multiply-add), at the CPU's kernel level.
    package static func scaleAdd(_ y: UnsafeMutablePointer<Float>, scale: Float, _ x: UnsafePointer<Float>, alpha: Float, count: Int) {
        ComputeKernels.table.pointee.scale_add(y, scale, x, alpha, count)
    }

    /// w ← w + (g + w · decay) · rate, element-wise (no fused multiply-add): the bits of
    /// scaleAdd(g, 1, w, decay) then scaleAdd(w, 1, g, rate), g left as it was.
    package static func penalisedStep(_ w: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, decay: Float,
                                      rate: Float, count: Int) {
        ComputeKernels.table.pointee.penalised_step(w, g, decay, rate, count)
    }

    /// Σ xᵢ yᵢ in an order fixed here: sixteen running sums of lanes i mod 16 (each product rounded,
    /// then added), folded in halves (8, 4, 2, 1 lanes), then the tail in order.
    package static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, count: Int) -> Float {
        var sums = Vector(repeating: 0)
        var i = 0
        while i + width <= count {
            sums += load(x + i) * load(y + i)
            i += width
        }
        let eight = sums.lowHalf + sums.highHalf
        let four = eight.lowHalf + eight.highHalf
        let two = four.lowHalf + four.highHalf
        var total = two[0] + two[1]
        while i < count { total += x[i] * y[i]; i += 1 }
        return total
    }
}
