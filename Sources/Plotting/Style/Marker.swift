/// The shape of a data marker.
public enum Marker: Hashable, Sendable {
    case circle, diamond, square

    /// The marker's outline centred on `center`. `radius` is the circle's; the diamond and
    /// the square are sized to the same area (π·radius²), so markers look equally heavy.
    public func path(center: Point, radius: Double) -> Path {
        switch self {
        case .circle: return .circle(center: center, radius: radius)
        case .diamond: return .diamond(center: center, radius: radius * 1.2533)  // √(π/2)
        case .square:
            let r = radius * 0.8862  // √π / 2
            return .rectangle(Rect(x: center.x - r, y: center.y - r, width: 2 * r, height: 2 * r))
        }
    }
}
