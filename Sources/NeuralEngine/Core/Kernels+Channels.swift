import CKernels

/// Per-channel loops over channels-last buffers (the last axis is the channel, as in every
/// (N, H, W, C) or (N, C) tensor), for batch normalisation.
///
/// A flat run of such values repeats its channel pattern every `channels` values, hence every
/// lcm(16, channels) values in whole vectors: the per-channel factors are laid out once over
/// that period and the buffer is walked a period at a time by the C kernels of the CPU's level,
/// never value by value with `i % channels`. Large buffers are cut between the engine's workers
/// at block boundaries that depend on the sizes alone, so every thread count computes the same
/// bits.
extension Kernels {
    /// lcm(16, channels): the period, in values, of the channel pattern in whole vectors.
    static func channelPeriod(_ channels: Int) -> Int {
        var (a, b) = (width, channels)
        while b != 0 { (a, b) = (b, a % b) }
        return width / a * channels
    }

    /// Periods summed in Float before their sums join the Double totals: a channel of 10⁵ values
    /// keeps about 7 digits.
    private static let periodsPerBlock = 64

    /// Below this many values a loop runs on the calling thread: waking the workers would cost
    /// more than it saves.
    private static let parallelThreshold = 1 << 15

    private static var table: kernels_table { ComputeKernels.table.pointee }

    /// Runs `body` over 0..<items, cut into contiguous ranges between the workers when the
    /// buffer of `values` values is large, else on the calling thread.
    private static func share(_ items: Int, values: Int, _ body: (Range<Int>) -> Void) {
        guard values >= parallelThreshold else { body(0..<items); return }
        Products.pool.slices(items) { _, range in body(range) }
    }

    /// Runs `body(periods)` over the count / period whole periods (element-wise loops: any cut
    /// gives the same bits).
    private static func forEachPeriod(count: Int, period: Int, _ body: (Range<Int>) -> Void) {
        share(count / period, values: count, body)
    }

    /// The blocked sums behind `channelSums`, `channelSumsPair` and `channelCentredSquares`:
    /// `outputs` sums a lane, each block of `periodsPerBlock` periods summed in Float by
    /// `kernel(firstPeriod, periods, lanes, stride)` (output o's `period` lanes at
    /// lanes + o · stride), the blocks in parallel; then each block's lanes are added into
    /// Double totals in block order and folded onto the channels in lane order. The order of
    /// every addition depends on the sizes alone.
    private static func blockSums(count: Int, channels: Int, outputs: Int,
                                  _ kernel: (Int, Int, UnsafeMutablePointer<Float>, Int) -> Void) -> [[Double]] {
        let period = channelPeriod(channels)
        let periods = count / period
        let blocks = (periods + periodsPerBlock - 1) / periodsPerBlock
        let stride = blocks * period
        let partials = UnsafeMutablePointer<Float>.allocate(capacity: max(1, outputs * stride))
        defer { partials.deallocate() }
        share(blocks, values: count) { range in
            for block in range {
                let first = block * periodsPerBlock
                kernel(first, min(periodsPerBlock, periods - first), partials + block * period, stride)
            }
        }
        return (0..<outputs).map { output in
            var totals = [Double](repeating: 0, count: period)
            for block in 0..<blocks {
                let lanes = partials + output * stride + block * period
                for lane in 0..<period { totals[lane] += Double(lanes[lane]) }
            }
            var sums = [Double](repeating: 0, count: channels)
            for lane in 0..<period { sums[lane % channels] += totals[lane] }
            return sums
        }
    }

    /// sums[c] = Σᵢ a[i] · b[i] over the i with i mod channels = c (without `b`: Σᵢ a[i]),
    /// for `count` values, a multiple of `channels`. The lanes add in Float over blocks of 64
    /// periods, and the blocks in Double.
    package static func channelSums(_ a: UnsafePointer<Float>, times b: UnsafePointer<Float>? = nil,
                                    count: Int, channels: Int) -> [Double] {
        let period = channelPeriod(channels), kernel = table.lane_sums!
        var sums = blockSums(count: count, channels: channels, outputs: 1) { first, periods, lanes, _ in
            kernel(a + first * period, b.map { $0 + first * period }, period, periods, lanes)
        }[0]
        for i in count - count % period..<count { sums[i % channels] += Double(a[i]) * Double(b?[i] ?? 1) }
        return sums
    }

    /// (Σᵢ a[i], Σᵢ a[i] · x̂[i]) per channel in one pass (batch normalisation's ∂L/∂β and
    /// ∂L/∂γ), each summed as `channelSums` sums: x̂ = (x − μ) · s is computed from x on the
    /// way, each operation rounded as `channelNormalize` computes it, so no x̂ need be stored.
    package static func channelSumsPair(_ a: UnsafePointer<Float>, normalizing x: UnsafePointer<Float>, mean: [Float],
                                        scale s: [Float], count: Int, channels: Int) -> (plain: [Double], products: [Double]) {
        let period = channelPeriod(channels), kernel = table.lane_sums_pair!
        let centre = pattern([mean, s], channels: channels, period: period)
        defer { centre.deallocate() }
        var sums = blockSums(count: count, channels: channels, outputs: 2) { first, periods, lanes, stride in
            kernel(a + first * period, x + first * period, centre, period, periods, lanes, lanes + stride)
        }
        for i in count - count % period..<count {
            let c = i % channels
            let n = (x[i] - mean[c]) * s[c]
            sums[0][c] += Double(a[i])
            sums[1][c] += Double(a[i]) * Double(n)
        }
        return (sums[0], sums[1])
    }

    /// Σ (x[i] − μ[c])² per channel: the biased variance's numerator, summed as `channelSums`
    /// does (the difference rounded to Float, then squared).
    package static func channelCentredSquares(_ x: UnsafePointer<Float>, mean: [Float], count: Int, channels: Int) -> [Double] {
        let period = channelPeriod(channels), kernel = table.lane_centred_squares!
        let means = pattern([mean], channels: channels, period: period)
        defer { means.deallocate() }
        var sums = blockSums(count: count, channels: channels, outputs: 1) { first, periods, lanes, _ in
            kernel(x + first * period, means, period, periods, lanes)
        }[0]
        for i in count - count % period..<count {
            let centred = x[i] - mean[i % channels]
            sums[i % channels] += Double(centred) * Double(centred)
        }
        return sums
    }

    /// out[i] = a[i] · p[c] + x̂[i] · q[c] + r[c] with c = i mod channels and x̂ = (x − μ) · s
    /// computed from x on the way, each operation rounded as `channelNormalize` computes it;
    /// without `x`, a[i] · p[c] + r[c]. With `maskingNonPositive` (and `x`), +0 wherever x ≤ 0:
    /// a ReLU's derivative, when x is a ReLU's output. For `count` values, a multiple of
    /// `channels`; `out` may be `a`.
    package static func channelAffine(_ a: UnsafePointer<Float>, scale p: [Float],
                                      plusNormalized x: UnsafePointer<Float>? = nil, mean: [Float] = [],
                                      scale s: [Float] = [], times q: [Float] = [], shift r: [Float],
                                      maskingNonPositive: Bool = false,
                                      into out: UnsafeMutablePointer<Float>, count: Int, channels: Int) {
        precondition(!maskingNonPositive || x != nil, "channelAffine masks by x, which it needs")
        let period = channelPeriod(channels)
        let kernel = maskingNonPositive ? table.channel_affine_masked! : table.channel_affine!
        let factors = pattern(x == nil ? [p, [Float](repeating: 0, count: channels), r] : [p, q, r, mean, s],
                              channels: channels, period: period)
        defer { factors.deallocate() }
        forEachPeriod(count: count, period: period) { periods in
            let start = periods.lowerBound * period
            kernel(a + start, x.map { $0 + start }, factors, period, periods.count, out + start)
        }
        for i in count - count % period..<count {
            let c = i % channels
            out[i] = x.map { a[i] * p[c] + (($0[i] - mean[c]) * s[c]) * q[c] + r[c] } ?? a[i] * p[c] + r[c]
            if maskingNonPositive, let x, x[i] <= 0 { out[i] = 0 }
        }
    }

    /// y[i] = x̂[i] · γ[c] + β[c] with x̂ = (x[i] − μ[c]) · s[c], in one pass: the layer's output
    /// from the input, the mean and 1/√(σ² + ε).
    package static func channelNormalize(_ x: UnsafePointer<Float>, mean: [Float], scale s: [Float], gamma: [Float],
                                         beta: [Float], into y: UnsafeMutablePointer<Float>, count: Int, channels: Int) {
        let period = channelPeriod(channels), kernel = table.channel_normalize!
        let factors = pattern([mean, s, gamma, beta], channels: channels, period: period)
        defer { factors.deallocate() }
        forEachPeriod(count: count, period: period) { periods in
            let start = periods.lowerBound * period
            kernel(x + start, factors, period, periods.count, y + start)
        }
        for i in count - count % period..<count {
            let c = i % channels
            y[i] = ((x[i] - mean[c]) * s[c]) * gamma[c] + beta[c]
        }
    }

    /// Per-channel `factors` laid out over one period each, one after the other; the caller
    /// deallocates.
    private static func pattern(_ factors: [[Float]], channels: Int, period: Int) -> UnsafeMutablePointer<Float> {
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: factors.count * period)
        for (f, values) in factors.enumerated() {
            for lane in 0..<period { (buffer + f * period + lane).initialize(to: values[lane % channels]) }
        }
        return buffer
    }
}
