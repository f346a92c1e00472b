import Foundation

/// The tests that tell a real difference from noise: McNemar's for two classifiers on the same
/// images, Welch's for replicate trainings, Holm's correction for a family of tests, and a
/// least-squares slope with its test.
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

    /// The paired t-test, two-sided: aᵢ and bᵢ measured on the same unit (two recipes trained
    /// from the same seed i), tested on their differences dᵢ = aᵢ − bᵢ: t = mean(d) / (s_d / √n)
    /// on n − 1 degrees of freedom. Pairing removes what the seed does to both, so it finds a
    /// difference that every seed shows even where the seeds spread wider than it. When the
    /// differences do not vary, the mean is exact: p = 1 if it is 0, and 0 otherwise.
    public static func pairedT(_ a: [Double], _ b: [Double]) -> (t: Double, df: Double, p: Double, meanDifference: Double,
                                                                  sdDifference: Double) {
        precondition(a.count == b.count && a.count >= 2, "the paired test needs two or more pairs")
        let differences = zip(a, b).map { $0 - $1 }
        let (mean, variance) = meanVariance(differences)
        let (sd, df) = (variance.squareRoot(), Double(differences.count - 1))
        guard sd > 0 else { return (mean == 0 ? 0 : .infinity, df, mean == 0 ? 1 : 0, mean, 0) }
        let t = mean / (sd / Double(differences.count).squareRoot())
        return (t, df, studentTwoSidedP(t: t, df: df), mean, sd)
    }

    /// Welch's test from summaries: each sample's mean, sample variance (n − 1) and size, so
    /// that published means ± standard deviations can be tested like replicates.
    public static func welch(_ a: Summary, _ b: Summary) -> (t: Double, df: Double, p: Double) {
        precondition(a.count >= 2 && b.count >= 2, "Welch's test needs at least two values per sample")
        let (sa, sb) = (a.variance / Double(a.count), b.variance / Double(b.count))
        let se2 = sa + sb
        guard se2 > 0 else { return (a.mean == b.mean ? 0 : .infinity, .nan, a.mean == b.mean ? 1 : 0) }
        let t = (a.mean - b.mean) / se2.squareRoot()
        let df = se2 * se2 / (sa * sa / Double(a.count - 1) + sb * sb / Double(b.count - 1))
        return (t, df, studentTwoSidedP(t: t, df: df))
    }

    /// Student's two-sample test with a pooled standard deviation `sd` measured on `df` degrees
    /// of freedom (for example over every setting of a sweep, not just these two): t = (mean(a)
    /// − mean(b)) / (sd · √(1/nₐ + 1/nᵦ)), two-sided.
    public static func pooledT(_ a: Summary, _ b: Summary, sd: Double, df: Int) -> (t: Double, df: Double, p: Double) {
        precondition(df >= 1, "a pooled test needs at least one degree of freedom")
        let se = sd * (1 / Double(a.count) + 1 / Double(b.count)).squareRoot()
        guard se > 0 else { return (a.mean == b.mean ? 0 : .infinity, Double(df), a.mean == b.mean ? 1 : 0) }
        let t = (a.mean - b.mean) / se
        return (t, Double(df), studentTwoSidedP(t: t, df: Double(df)))
    }

    /// One-way analysis of variance: do the groups' means differ at all? F = (between-group mean
    /// square) / (within-group mean square), with k − 1 and N − k degrees of freedom; nil with
    /// fewer than two groups or no within-group degree of freedom.
    public static func oneWayANOVA(_ groups: [Summary]) -> (f: Double, df1: Int, df2: Int, p: Double)? {
        let total = groups.reduce(0) { $0 + $1.count }
        let (df1, df2) = (groups.count - 1, total - groups.count)
        guard df1 >= 1, df2 >= 1 else { return nil }
        let grand = groups.reduce(0) { $0 + $1.mean * Double($1.count) } / Double(total)
        let between = groups.reduce(0) { $0 + Double($1.count) * ($1.mean - grand) * ($1.mean - grand) } / Double(df1)
        let within = groups.reduce(0) { $0 + Double($1.count - 1) * $1.variance } / Double(df2)
        guard within > 0 else { return (between > 0 ? .infinity : 0, df1, df2, between > 0 ? 0 : 1) }
        let f = between / within
        let p = regularizedIncompleteBeta(x: Double(df2) / (Double(df2) + Double(df1) * f), a: Double(df2) / 2, b: Double(df1) / 2)
        return (f, df1, df2, p)
    }

    /// The t with P(T > t) = `upper` for Student's t with `df` degrees of freedom (0 < upper < ½),
    /// by bisection on `studentTwoSidedP`.
    public static func studentQuantile(upper: Double, df: Double) -> Double {
        precondition(upper > 0 && upper < 0.5, "an upper tail between 0 and ½")
        var (low, high) = (0.0, 1e3)
        for _ in 0..<200 {
            let middle = (low + high) / 2
            if studentTwoSidedP(t: middle, df: df) / 2 > upper { low = middle } else { high = middle }
        }
        return (low + high) / 2
    }

    /// The smallest true difference between the means of two groups of `count` values that a
    /// two-sided test at `significance` finds with probability `power`, when the values spread
    /// with standard deviation `sd` measured on `df` degrees of freedom:
    /// (t_{1−α/2} + t_{power}) · sd · √(2 / n). Differences below it can hide in the noise, so a
    /// test that finds nothing does not show that the means are equal.
    public static func minimumDetectableDifference(sd: Double, df: Int, count: Int, significance: Double = 0.05,
                                                   power: Double = 0.8) -> Double {
        let t = studentQuantile(upper: significance / 2, df: Double(df)) + studentQuantile(upper: 1 - power, df: Double(df))
        return t * sd * (2 / Double(count)).squareRoot()
    }

    /// The `level` confidence interval of a standard deviation `sd` estimated on `df` degrees of
    /// freedom: sd · √(df / χ²) at the chi-square distribution's two tail quantiles.
    public static func standardDeviationInterval(sd: Double, df: Int, level: Double = 0.95) -> ClosedRange<Double> {
        let tail = (1 - level) / 2
        let high = chiSquareQuantile(lower: 1 - tail, df: Double(df)), low = chiSquareQuantile(lower: tail, df: Double(df))
        return sd * (Double(df) / high).squareRoot()...sd * (Double(df) / low).squareRoot()
    }

    /// The x with P(χ²_df ≤ x) = `lower`, by bisection on the regularized lower incomplete gamma.
    static func chiSquareQuantile(lower: Double, df: Double) -> Double {
        var (low, high) = (0.0, df + 100 * (2 * df).squareRoot() + 100)
        for _ in 0..<200 {
            let middle = (low + high) / 2
            if regularizedLowerGamma(a: df / 2, x: middle / 2) < lower { low = middle } else { high = middle }
        }
        return (low + high) / 2
    }

    /// P(a, x) = γ(a, x) / Γ(a): its series below x = a + 1, Lentz's continued fraction for the
    /// complement above.
    static func regularizedLowerGamma(a: Double, x: Double) -> Double {
        if x <= 0 { return 0 }
        let front = exp(a * log(x) - x - lgamma(a))
        if x < a + 1 {
            var (term, sum, n) = (1 / a, 1 / a, a)
            for _ in 0..<500 {
                n += 1
                term *= x / n
                sum += term
                if abs(term) < abs(sum) * 1e-15 { break }
            }
            return front * sum
        }
        let tiny = 1e-300
        var b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d
        for i in 1...500 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b; if abs(d) < tiny { d = tiny }
            c = b + an / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-15 { break }
        }
        return 1 - front * h
    }

    /// A sample described by its size, mean and sample variance (n − 1).
    public struct Summary: Sendable, Equatable {
        public var count: Int
        public var mean: Double
        public var variance: Double

        public init(count: Int, mean: Double, variance: Double) {
            (self.count, self.mean, self.variance) = (count, mean, variance)
        }

        public init(_ values: [Double]) {
            let (mean, variance) = Statistics.meanVariance(values)
            self.init(count: values.count, mean: mean, variance: variance)
        }

        /// From a mean and a population standard deviation (numpy's default `np.std`, ddof = 0)
        /// over `count` values: the sample variance is σ² · n / (n − 1).
        public init(count: Int, mean: Double, populationSD: Double) {
            let n = Double(count)
            self.init(count: count, mean: mean, variance: count > 1 ? populationSD * populationSD * n / (n - 1) : 0)
        }

        /// The sample standard deviation (n − 1), the one this project reports.
        public var sampleSD: Double { variance.squareRoot() }
        /// The population standard deviation (n), numpy's `np.std` default.
        public var populationSD: Double { count > 1 ? (variance * Double(count - 1) / Double(count)).squareRoot() : 0 }
    }

    /// Holm's step-down adjustment of a family of p-values, in the order given: the i-th smallest
    /// p is multiplied by (m − i + 1), and the adjusted values are made non-decreasing in that
    /// order and capped at 1. It controls the chance of any false finding in the family.
    public static func holm(_ p: [Double]) -> [Double] {
        let m = p.count
        let order = p.indices.sorted { p[$0] < p[$1] }
        var adjusted = [Double](repeating: 1, count: m)
        var running = 0.0
        for (rank, index) in order.enumerated() {
            running = max(running, min(1, Double(m - rank) * p[index]))
            adjusted[index] = running
        }
        return adjusted
    }

    /// The least-squares slope of y on x over groups of replicates, from each group's x and
    /// summary: the same slope and test as a regression over every replicate, whose residuals
    /// are the spread within groups plus the groups' departure from the line. Two-sided
    /// Student test with N − 2 degrees of freedom; nil with fewer than two distinct x or three values.
    public static func slope(x: [Double], groups: [Summary]) -> (slope: Double, standardError: Double, p: Double)? {
        precondition(x.count == groups.count, "one x per group")
        let n = groups.reduce(0) { $0 + $1.count }
        guard n >= 3, Set(x).count >= 2 else { return nil }
        let weights = groups.map { Double($0.count) }
        let total = Double(n)
        let meanX = zip(x, weights).reduce(0) { $0 + $1.0 * $1.1 } / total
        let meanY = zip(groups, weights).reduce(0) { $0 + $1.0.mean * $1.1 } / total
        var sxx = 0.0, sxy = 0.0
        for (xi, g) in zip(x, groups) {
            sxx += Double(g.count) * (xi - meanX) * (xi - meanX)
            sxy += Double(g.count) * (xi - meanX) * (g.mean - meanY)
        }
        let b = sxy / sxx
        var residual = 0.0
        for (xi, g) in zip(x, groups) {
            let fitted = meanY + b * (xi - meanX)
            residual += Double(g.count - 1) * g.variance + Double(g.count) * (g.mean - fitted) * (g.mean - fitted)
        }
        let df = Double(n - 2)
        let se = (residual / df / sxx).squareRoot()
        guard se > 0 else { return (b, 0, b == 0 ? 1 : 0) }
        return (b, se, studentTwoSidedP(t: b / se, df: df))
    }

    /// The binomial standard error of an accuracy `p` measured on `n` items, √(p(1 − p)/n): how
    /// far the accuracy on another sample of the same size from the same source would move.
    public static func binomialStandardError(_ p: Double, count n: Int) -> Double {
        guard n > 0, p.isFinite else { return 0 }
        let q = min(max(p, 0), 1)
        return (q * (1 - q) / Double(n)).squareRoot()
    }

    /// Wilson's score interval for a binomial proportion: k events in n trials, at the two-sided
    /// level of `z` (1.96 for 95 %). Unlike p̂ ± z · SE it stays within [0, 1] and keeps its
    /// coverage for rates near 0, such as a good network's test error.
    public static func wilsonInterval(_ k: Int, of n: Int, z: Double = 1.959963984540054) -> ClosedRange<Double> {
        precondition(n > 0 && k >= 0 && k <= n, "a proportion needs 0 ≤ k ≤ n and n > 0")
        let (p, n) = (Double(k) / Double(n), Double(n))
        let z2 = z * z
        let centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        let half = z / (1 + z2 / n) * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
        return max(0, centre - half)...min(1, centre + half)
    }

    /// The median of `values`: the middle one, or the mean of the middle two for an even
    /// count; nil when empty.
    public static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted(), middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
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
