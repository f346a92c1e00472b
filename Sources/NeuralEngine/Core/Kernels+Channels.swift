/// Per-channel loops over channels-last buffers (the last axis is the channel, as in every
/// (N, H, W, C) or (N, C) tensor), for batch normalisation.
///
/// A flat run of such values repeats its channel pattern every `channels` values, hence every
/// lcm(16, channels) values in whole vectors: the per-channel factors are laid out once over
/// that period and the buffer is walked a period at a time with SIMD, never value by value
/// with `i % channels`.
extension Kernels {
    /// lcm(16, channels): the period, in values, of the channel pattern in whole vectors.
    static func channelPeriod(_ channels: Int) -> Int {
        var (a, b) = (width, channels)
        while b != 0 { (a, b) = (b, a % b) }
        return width / a * channels
    }

    /// sums[c] = Σᵢ a[i] · b[i] over the i with i mod channels = c (without `b`: Σᵢ a[i]),
    /// for `count` values, a multiple of `channels`. The lanes add in Float over blocks of 64
    /// periods, and the blocks in Double, so a channel of 10⁵ values keeps about 7 digits.
    package static func channelSums(_ a: UnsafePointer<Float>, times b: UnsafePointer<Float>? = nil,
                                    count: Int, channels: Int) -> [Double] {
        let period = channelPeriod(channels), vectors = period / width
        let whole = count - count % period, block = 64 * period
        let lanes = UnsafeMutablePointer<Float>.allocate(capacity: period)
        let totals = UnsafeMutablePointer<Double>.allocate(capacity: period)
        defer { lanes.deallocate(); totals.deallocate() }
        totals.initialize(repeating: 0, count: period)
        var start = 0
        while start < whole {
            let stop = min(start + block, whole)
            lanes.initialize(repeating: 0, count: period)
            var i = start
            if let b {
                while i < stop {
                    for v in 0..<vectors {
                        let j = i + v * width, lane = lanes + v * width
                        store(load(lane) + load(a + j) * load(b + j), lane)
                    }
                    i += period
                }
            } else {
                while i < stop {
                    for v in 0..<vectors {
                        let lane = lanes + v * width
                        store(load(lane) + load(a + i + v * width), lane)
                    }
                    i += period
                }
            }
            for lane in 0..<period { totals[lane] += Double(lanes[lane]) }
            start = stop
        }
        var sums = [Double](repeating: 0, count: channels)
        for lane in 0..<period { sums[lane % channels] += totals[lane] }
        for i in whole..<count { sums[i % channels] += Double(a[i]) * Double(b?[i] ?? 1) }
        return sums
    }

    /// out[i] = a[i] · p[c] + b[i] · q[c] + r[c] with c = i mod channels (without `b`, no second
    /// term), for `count` values, a multiple of `channels`. `out` may be `a` or `b`.
    package static func channelAffine(_ a: UnsafePointer<Float>, scale p: [Float],
                                      plus b: UnsafePointer<Float>? = nil, scale q: [Float] = [],
                                      shift r: [Float], into out: UnsafeMutablePointer<Float>,
                                      count: Int, channels: Int) {
        let period = channelPeriod(channels), vectors = period / width
        let whole = count - count % period
        // The factors laid out over one period: [p | q | r], each `period` values.
        let pattern = UnsafeMutablePointer<Float>.allocate(capacity: 3 * period)
        defer { pattern.deallocate() }
        for lane in 0..<period {
            let c = lane % channels
            (pattern + lane).initialize(to: p[c])
            (pattern + period + lane).initialize(to: b == nil ? 0 : q[c])
            (pattern + 2 * period + lane).initialize(to: r[c])
        }
        let (pp, qp, rp) = (UnsafePointer(pattern), UnsafePointer(pattern + period), UnsafePointer(pattern + 2 * period))
        var i = 0
        if let b {
            while i < whole {
                for v in 0..<vectors {
                    let j = i + v * width, k = v * width
                    store(load(a + j) * load(pp + k) + load(b + j) * load(qp + k) + load(rp + k), out + j)
                }
                i += period
            }
            while i < count { let c = i % period; out[i] = a[i] * pp[c] + b[i] * qp[c] + rp[c]; i += 1 }
        } else {
            while i < whole {
                for v in 0..<vectors {
                    let j = i + v * width, k = v * width
                    store(load(a + j) * load(pp + k) + load(rp + k), out + j)
                }
                i += period
            }
            while i < count { let c = i % period; out[i] = a[i] * pp[c] + rp[c]; i += 1 }
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

    /// n[i] = x[i] − μ[c] and returns Σ n[i]² per channel, in one pass (the centred values and
    /// the biased variance's numerator), summed as `channelSums` does.
    package static func channelCenter(_ x: UnsafePointer<Float>, mean: [Float], into n: UnsafeMutablePointer<Float>,
                                      count: Int, channels: Int) -> [Double] {
        let period = channelPeriod(channels), vectors = period / width
        let whole = count - count % period, block = 64 * period
        let means = pattern([mean], channels: channels, period: period)
        let lanes = UnsafeMutablePointer<Float>.allocate(capacity: period)
        let totals = UnsafeMutablePointer<Double>.allocate(capacity: period)
        defer { means.deallocate(); lanes.deallocate(); totals.deallocate() }
        totals.initialize(repeating: 0, count: period)
        var start = 0
        while start < whole {
            let stop = min(start + block, whole)
            lanes.initialize(repeating: 0, count: period)
            var i = start
            while i < stop {
                for v in 0..<vectors {
                    let j = i + v * width, lane = lanes + v * width
                    let centred = load(x + j) - load(means + v * width)
                    store(centred, n + j)
                    store(load(lane) + centred * centred, lane)
                }
                i += period
            }
            for lane in 0..<period { totals[lane] += Double(lanes[lane]) }
            start = stop
        }
        var sums = [Double](repeating: 0, count: channels)
        for lane in 0..<period { sums[lane % channels] += totals[lane] }
        for i in whole..<count {
            n[i] = x[i] - means[i % period]
            sums[i % channels] += Double(n[i]) * Double(n[i])
        }
        return sums
    }

    /// n[i] ← n[i] · s[c] and y[i] = n[i] · γ[c] + β[c], in one pass: x̂ from the centred values
    /// and the layer's output from x̂.
    package static func channelNormalize(_ n: UnsafeMutablePointer<Float>, scale s: [Float], gamma: [Float], beta: [Float],
                                         into y: UnsafeMutablePointer<Float>, count: Int, channels: Int) {
        let period = channelPeriod(channels), vectors = period / width
        let whole = count - count % period
        let factors = pattern([s, gamma, beta], channels: channels, period: period)
        defer { factors.deallocate() }
        let (sp, gp, bp) = (factors, factors + period, factors + 2 * period)
        var i = 0
        while i < whole {
            for v in 0..<vectors {
                let j = i + v * width, k = v * width
                let normalized = load(n + j) * load(sp + k)
                store(normalized, n + j)
                store(normalized * load(gp + k) + load(bp + k), y + j)
            }
            i += period
        }
        while i < count {
            let c = i % period
            n[i] *= sp[c]
            y[i] = n[i] * gp[c] + bp[c]
            i += 1
        }
    }
}
