/// A colour with red, green, blue and alpha components in 0…1 (sRGB, straight alpha).
public struct Color: Hashable, Sendable {
    public var red: Double
    public var green: Double
    public var blue: Double
    public var alpha: Double

    public init(red: Double, green: Double, blue: Double, alpha: Double = 1) {
        self.red = red
        self.green = green
        self.blue = blue
        self.alpha = alpha
    }

    /// A colour from a 24-bit `0xRRGGBB` literal, e.g. `Color(hex: 0xEAEAF2)`.
    public init(hex: UInt32, alpha: Double = 1) {
        self.init(red: Double((hex >> 16) & 0xFF) / 255, green: Double((hex >> 8) & 0xFF) / 255,
                  blue: Double(hex & 0xFF) / 255, alpha: alpha)
    }

    /// The same colour with another alpha.
    public func withAlpha(_ alpha: Double) -> Color {
        Color(red: red, green: green, blue: blue, alpha: alpha)
    }

    public static let black = Color(hex: 0x000000)
    public static let white = Color(hex: 0xFFFFFF)
    /// The dark grey seaborn uses for text (`.15` grey).
    public static let darkGray = Color(hex: 0x262626)
    public static let gray = Color(hex: 0x808080)
    public static let lightGray = Color(hex: 0xCCCCCC)
    public static let blue = Color(hex: 0x4C72B0)
    public static let orange = Color(hex: 0xDD8452)
    public static let green = Color(hex: 0x55A868)
    public static let red = Color(hex: 0xC44E52)
    public static let purple = Color(hex: 0x8172B3)
    public static let brown = Color(hex: 0x937860)

    /// seaborn's "deep" palette, the default colour cycle of the figures.
    public static let palette: [Color] = [
        .blue, .orange, .green, .red, .purple, .brown,
        Color(hex: 0xDA8BC3), Color(hex: 0x8C8C8C), Color(hex: 0xCCB974), Color(hex: 0x64B5CD),
    ]
}
