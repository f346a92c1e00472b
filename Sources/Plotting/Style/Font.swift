/// A font: family, size in points, weight. DejaVu Sans by default, which the
/// `fonts-dejavu-core` package installs.
public struct Font: Hashable, Sendable {
    public enum Weight: Hashable, Sendable { case regular, bold }

    public var family: String
    public var size: Double
    public var weight: Weight

    public init(family: String = "DejaVu Sans", size: Double, weight: Weight = .regular) {
        self.family = family
        self.size = size
        self.weight = weight
    }
}
