/// The elementary functions the engine needs (exp, log, sin, cos, integer powers), computed by
/// its own code in a fixed sequence of IEEE double operations and rounded once to the result's
/// type, so that every C library and every CPU gives the same bits. (glibc, for one, picks its
/// `expf` and `logf` by the CPU at load time, with and without FMA.)
///
/// Each function reduces its argument, evaluates a Taylor or atanh series with enough terms
/// that the truncation stays below 1e-16 relative, and scales back. Errors are a few double
/// ulps, far below a Float ulp: the Float results are correctly rounded except in the rarest
/// ties, and always the same.
package enum Elementary {
    static let ln2 = 0.693_147_180_559_945_3
    // 2π and π/2 split in two parts, so that k · part is exact for the k the reductions meet.
    static let halfPiHigh = 1.570_796_326_794_896_6
    static let halfPiLow = 6.123_233_995_736_766e-17

    /// e^x, NaN for NaN; +∞ from x > 88.73, 0 below −104 (as expf).
    package static func exp(_ x: Float) -> Float {
        if x.isNaN { return x }
        if x > 88.73 { return .infinity }
        if x < -104 { return 0 }
        return Float(exp(Double(x)))
    }

    /// e^x for |x| ≤ 709: x = n ln 2 + r with |r| ≤ ln 2 / 2, then e^r by its Taylor series to r¹⁸.
    package static func exp(_ x: Double) -> Double {
        let n = (x / ln2).rounded()
        let r = x - n * ln2
        var term = 1.0, sum = 1.0
        for k in 1...18 {
            term = term * r / Double(k)
            sum += term
        }
        return scale(sum, byPowerOfTwo: Int(n))
    }

    /// ln x; −∞ at 0, NaN below 0 or for NaN, +∞ at +∞.
    package static func log(_ x: Float) -> Float {
        if x.isNaN || x < 0 { return .nan }
        if x == 0 { return -.infinity }
        if x == .infinity { return x }
        return Float(log(Double(x)))
    }

    /// ln x for finite positive x: x = m · 2^e with m in [√½, √2), then ln m = 2 atanh(s),
    /// s = (m − 1) / (m + 1), |s| ≤ 0.172, by its series to s²¹.
    package static func log(_ x: Double) -> Double {
        var e = Int(x.exponent)
        var m = x.significand
        if m > 1.414_213_562_373_095_1 { m /= 2; e += 1 }
        let s = (m - 1) / (m + 1), s2 = s * s
        var power = s, sum = s
        for k in 1...10 {
            power *= s2
            sum += power / Double(2 * k + 1)
        }
        return Double(e) * ln2 + 2 * sum
    }

    /// (sin x, cos x) for |x| ≤ 1e6: x = q π/2 + r with |r| ≤ π/4, the Taylor series of sin r
    /// and cos r to r¹⁹ and r¹⁸, and the quadrant q mod 4.
    package static func sineCosine(_ x: Double) -> (sin: Double, cos: Double) {
        let q = (x / halfPiHigh).rounded()
        let r = (x - q * halfPiHigh) - q * halfPiLow
        let r2 = r * r
        var sine = r, sineTerm = r
        var cosine = 1.0, cosineTerm = 1.0
        for k in 1...9 {
            sineTerm = -sineTerm * r2 / Double((2 * k) * (2 * k + 1))
            sine += sineTerm
            cosineTerm = -cosineTerm * r2 / Double((2 * k - 1) * (2 * k))
            cosine += cosineTerm
        }
        switch ((Int(q) % 4) + 4) % 4 {
        case 0: return (sine, cosine)
        case 1: return (cosine, -sine)
        case 2: return (-sine, -cosine)
        default: return (-cosine, sine)
        }
    }

    /// base^n for n ≥ 0 by repeated squaring (exact order: the bits of n from the lowest).
    package static func power(_ base: Double, _ n: Int) -> Double {
        var (result, square, rest) = (1.0, base, max(n, 0))
        while rest > 0 {
            if rest & 1 == 1 { result *= square }
            square *= square
            rest >>= 1
        }
        return result
    }

    /// x · 2^n without overflow in the intermediate steps (n may exceed the exponent range of
    /// one factor): two exact power-of-two factors.
    static func scale(_ x: Double, byPowerOfTwo n: Int) -> Double {
        let first = n / 2, second = n - first
        return x * Double(sign: .plus, exponent: first, significand: 1)
            * Double(sign: .plus, exponent: second, significand: 1)
    }
}
