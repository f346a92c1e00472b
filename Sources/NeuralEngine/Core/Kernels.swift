/// Element-wise loops the products leave over, written once with explicit SIMD so they run at
/// memory speed: the compiler cannot prove that the pointers do not alias, and would keep them
/// scalar (and, for the ReLU mask, branchy).
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

    /// x ← max(x, 0).
    package static func relu(_ x: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        let zero = Vector(repeating: 0)
        while i + width <= count {
            let v = load(x + i)
            store(v.replacing(with: zero, where: v .< zero), x + i)
            i += width
        }
        while i < count { x[i] = max(x[i], 0); i += 1 }
    }

    /// g ← g where y > 0, else 0: the ReLU derivative from its output.
    package static func reluMask(output y: UnsafePointer<Float>, gradient g: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        let zero = Vector(repeating: 0)
        while i + width <= count {
            store(load(g + i).replacing(with: zero, where: load(y + i) .<= zero), g + i)
            i += width
        }
        while i < count { g[i] = y[i] > 0 ? g[i] : 0; i += 1 }
    }

    /// sums[j] = Σ_r x[r, j] over `rows` rows of `columns` values (the bias gradient).
    package static func columnSums(_ x: UnsafePointer<Float>, rows: Int, columns: Int, into sums: UnsafeMutablePointer<Float>) {
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

    /// y ← y · scale + x · alpha, element-wise.
    package static func scaleAdd(_ y: UnsafeMutablePointer<Float>, scale: Float, _ x: UnsafePointer<Float>, alpha: Float, count: Int) {
        var i = 0
        let s = Vector(repeating: scale), a = Vector(repeating: alpha)
        while i + width <= count {
            store(load(y + i) * s + load(x + i) * a, y + i)
            i += width
        }
        while i < count { y[i] = y[i] * scale + x[i] * alpha; i += 1 }
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
