/// Where a label goes on a plot: among candidate frames listed in order of preference, the
/// first of those that cover the least ink, so a label lands where no curve passes when such a
/// place exists, and otherwise where it hides the least.
package enum LabelPlacement {
    /// The length of `ink` inside `frame` grown by `margin` points on every side.
    package static func coverage(of frame: Rect, by ink: [Segment], margin: Double = 2) -> Double {
        let grown = frame.insetBy(-margin)
        return ink.reduce(0) { $0 + $1.length(inside: grown) }
    }

    /// The candidate, among those inside `bounds` that overlap none of `taken`, that covers the
    /// least of `ink`; ties go to the earlier candidate. `nil` when every candidate leaves
    /// `bounds` or overlaps a frame of `taken`.
    package static func best(_ candidates: [Rect], inside bounds: Rect, apartFrom taken: [Rect],
                             ink: [Segment]) -> Rect? {
        var best: (frame: Rect, covered: Double)?
        for frame in candidates {
            guard frame.minX >= bounds.minX, frame.maxX <= bounds.maxX, frame.minY >= bounds.minY, frame.maxY <= bounds.maxY,
                  !taken.contains(where: { $0.insetBy(-1).intersects(frame) }) else { continue }
            let covered = coverage(of: frame, by: ink)
            if best.map({ covered < $0.covered }) ?? true { best = (frame, covered) }
            if covered == 0 { break }
        }
        return best?.frame
    }
}
