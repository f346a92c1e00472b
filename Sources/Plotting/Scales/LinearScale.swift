import Foundation

/// A linear map from a data interval (the domain) to a drawing interval (the range):
/// `scale(x) = range.start + (x − domain.lowerBound) / (domain.upperBound − domain.lowerBound) · (range.end − range.start)`.
///
/// The range may run backwards, as a y axis does (its bottom has the larger coordinate).
/// ``ticks(count:)`` gives "nice" tick values, multiples of 1, 2 or 5 × 10ᵏ, with labels
/// carrying just enough decimals to tell them apart.
public struct LinearScale: Hashable, Sendable {
    public var domain: ClosedRange<Double>
    /// The image of `domain.lowerBound`.
    public var rangeStart: Double
    /// The image of `domain.upperBound`.
    public var rangeEnd: Double

    /// - Parameters:
    ///   - domain: The data interval.
    ///   - range: The images of the domain's lower and upper bounds, in that order.
    public init(domain: ClosedRange<Double>, range: (start: Double, end: Double)) {
        self.domain = domain
        self.rangeStart = range.start
        self.rangeEnd = range.end
    }

    /// The drawing coordinate of `value`; a degenerate domain maps to the range's middle.
    public func callAsFunction(_ value: Double) -> Double {
        let span = domain.upperBound - domain.lowerBound
        guard span > 0 else { return (rangeStart + rangeEnd) / 2 }
        return rangeStart + (value - domain.lowerBound) / span * (rangeEnd - rangeStart)
    }

    /// The data value drawn at `coordinate`.
    public func invert(_ coordinate: Double) -> Double {
        let extent = rangeEnd - rangeStart
        guard extent != 0 else { return domain.lowerBound }
        return domain.lowerBound + (coordinate - rangeStart) / extent * (domain.upperBound - domain.lowerBound)
    }

    /// The nice step for about `count` intervals over the domain: 1, 2 or 5 × 10ᵏ, whichever
    /// is closest (geometrically) to `span / count`.
    public func tickStep(count: Int) -> Double {
        let span = domain.upperBound - domain.lowerBound
        guard span > 0, span.isFinite, count > 0 else { return 0 }
        let rough = span / Double(count)
        let power = pow(10, (log10(rough)).rounded(.down))
        let error = rough / power
        let factor: Double = error >= 50.squareRoot() ? 10 : error >= 10.squareRoot() ? 5 : error >= 2.squareRoot() ? 2 : 1
        return factor * power
    }

    /// About `count` ticks at multiples of ``tickStep(count:)`` inside the domain, each
    /// with its label. A degenerate domain has one tick, at its value.
    public func ticks(count: Int = 5) -> [Tick] {
        let step = tickStep(count: count)
        guard step > 0 else { return [Tick(value: domain.lowerBound, label: Tick.label(domain.lowerBound, step: 0))] }
        // Integer multiples of the step, so that no rounding error accumulates.
        let first = (domain.lowerBound / step - 1e-9).rounded(.up)
        let last = (domain.upperBound / step + 1e-9).rounded(.down)
        guard first <= last else { return [] }
        return stride(from: first, through: last, by: 1).map { index in
            let value = Self.round(index * step, step: step)
            return Tick(value: value, label: Tick.label(value, step: step))
        }
    }

    /// The domain widened to the ticks around it (the multiples of ``tickStep(count:)`` just
    /// outside), so that the axis begins and ends on a tick.
    public func niced(count: Int = 5) -> LinearScale {
        let step = tickStep(count: count)
        guard step > 0 else { return self }
        let lower = Self.round((domain.lowerBound / step + 1e-9).rounded(.down) * step, step: step)
        let upper = Self.round((domain.upperBound / step - 1e-9).rounded(.up) * step, step: step)
        return LinearScale(domain: lower...upper, range: (rangeStart, rangeEnd))
    }

    /// `value` rounded to the decimals of `step` (0.1 × 3 is 0.30000000000000004; this makes it 0.3).
    private static func round(_ value: Double, step: Double) -> Double {
        let decimals = Tick.decimals(forStep: step)
        let factor = pow(10, Double(decimals))
        return (value * factor).rounded() / factor + 0  // + 0 turns −0 into 0
    }
}
