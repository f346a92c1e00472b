import Foundation

/// The two tests that tell a real change from noise when comparing runs.
public enum Statistics {
    /// McNemar's test for two classifiers on the same items.
    ///
    /// Only the items where they disagree carry information: `b` items only the first gets
    /// right, `c` only the second. Under the null hypothesis (equal accuracy) each such item
    /// is a fair coin, so the two-sided p-value is exact binomial for b + c < 50 and the
    /// continuity-corrected χ² = (|b − c| − 1)² / (b + c) with one degree of freedom above.
    /// No disagreement at all gives p = 1.
    public static func mcNemar(b: Int, c: Int) -> (statistic: Double, p: Double, exact: Bool) {
        let n = b + c
        guard n > 0 else { return (0, 1, true) }
        if n < 50 {
            let k = min(b, c)
            // P(X ≤ k) for X ~ Binomial(n, 1/2), doubled, capped at 1.
            var tail = 0.0
            for i in 0...k { tail += exp(logChoose(n, i) - Double(n) * log(2)) }
            return (Double(k), min(1, 2 * tail), true)
        }
        let chi = pow(Double(abs(b - c)) - 1, 2) / Double(n)
        return (chi, erfc((chi / 2).squareRoot()), false)
    }

    /// Welch's two-sample t-test (unequal variances), two-sided.
    ///
    /// t = (mean(a) − mean(b)) / √(s²ₐ/nₐ + s²ᵦ/nᵦ) with the Welch–Satterthwaite degrees of
    /// freedom. When both samples have zero variance the means are exact: p = 1 if they are
    /// equal and 0 otherwise.
    public static func welch(_ a: [Double], _ b: [Double]) -> (t: Double, df: Double, p: Double) {
        precondition(a.count >= 2 && b.count >= 2, "Welch's test needs at least two values per sample")
        let (ma, va) = meanVariance(a), (mb, vb) = meanVariance(b)
        let (sa, sb) = (va / Double(a.count), vb / Double(b.count))
        let se2 = sa + sb
        guard se2 > 0 else { return (ma == mb ? 0 : .infinity, .nan, ma == mb ? 1 : 0) }
        let t = (ma - mb) / se2.squareRoot()
        let df = se2 * se2 / (sa * sa / Double(a.count - 1) + sb * sb / Double(b.count - 1))
        return (t, df, studentTwoSidedP(t: t, df: df))
    }

    /// Mean and sample variance (n − 1).
    public static func meanVariance(_ x: [Double]) -> (mean: Double, variance: Double) {
        let mean = x.reduce(0, +) / Double(x.count)
        let variance = x.count > 1 ? x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(x.count - 1) : 0
        return (mean, variance)
    }

    /// P(|T| ≥ |t|) for Student's t with `df` degrees of freedom: I_{df/(df+t²)}(df/2, 1/2).
    public static func studentTwoSidedP(t: Double, df: Double) -> Double {
        guard t.isFinite else { return 0 }
        return regularizedIncompleteBeta(x: df / (df + t * t), a: df / 2, b: 0.5)
    }

    /// I_x(a, b), by the continued fraction of Lentz's method (converges fast for x < (a+1)/(a+b+2),
    /// the symmetry I_x(a, b) = 1 − I_{1−x}(b, a) covers the rest).
    public static func regularizedIncompleteBeta(x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logGammas: Double = lgamma(a + b) - lgamma(a) - lgamma(b)
        let logPowers: Double = a * log(x) + b * log(1 - x)
        let front = exp(logGammas + logPowers)
        if x > (a + 1) / (a + b + 2) { return 1 - regularizedIncompleteBeta(x: 1 - x, a: b, b: a) }
        let tiny = 1e-300
        var c = 1.0, d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var f = d
        for m in 1...300 {
            let m = Double(m)
            let even = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            d = 1 + even * d; if abs(d) < tiny { d = tiny }
            c = 1 + even / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            f *= d * c
            let odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
            d = 1 + odd * d; if abs(d) < tiny { d = tiny }
            c = 1 + odd / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            f *= delta
            if abs(delta - 1) < 1e-14 { break }
        }
        return front * f / a
    }

    static func logChoose(_ n: Int, _ k: Int) -> Double {
        lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))
    }
}
