import Foundation

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

    /// The colour's name for prose (a caption's "the dashed grey line"), for the named
    /// colours below; `nil` for any other colour.
    public var name: String? { Self.names[self] }

    /// The relative luminance of WCAG 2: 0.2126 R + 0.7152 G + 0.0722 B of the linearised
    /// sRGB components (alpha ignored).
    public var relativeLuminance: Double {
        func linear(_ c: Double) -> Double { c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4) }
        return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    }

    /// WCAG 2's contrast ratio with `other`, (L₁ + 0.05) / (L₂ + 0.05) with L₁ the lighter:
    /// 1 for equal colours, 21 for black on white; graphics need 3 or more.
    public func contrastRatio(with other: Color) -> Double {
        let (a, b) = (relativeLuminance, other.relativeLuminance)
        return (max(a, b) + 0.05) / (min(a, b) + 0.05)
    }

    public static let black = Color(hex: 0x000000)
    public static let white = Color(hex: 0xFFFFFF)
    /// The dark grey seaborn uses for text (`.15` grey).
    public static let darkGray = Color(hex: 0x262626)
    /// A mid grey, for reference data drawn beside the run's: 3.9 : 1 against white.
    public static let gray = Color(hex: 0x808080)
    public static let lightGray = Color(hex: 0xCCCCCC)
    public static let blue = Color(hex: 0x4C72B0)
    public static let orange = Color(hex: 0xDD8452)
    public static let green = Color(hex: 0x55A868)
    public static let red = Color(hex: 0xC44E52)
    public static let purple = Color(hex: 0x8172B3)
    public static let brown = Color(hex: 0x937860)

    /// A dark red for reference lines (published results): 5.9 : 1 against white.
    public static let darkRed = Color(hex: 0xA3282C)

    /// The words captions use for the named colours.
    private static let names: [Color: String] = [
        .black: "black", .white: "white", .darkGray: "dark grey", .gray: "grey", .lightGray: "light grey",
        .blue: "blue", .orange: "orange", .green: "green", .red: "red", .purple: "purple", .brown: "brown",
        .darkRed: "dark red",
    ]

    /// seaborn's "deep" palette, the default colour cycle of the figures.
    public static let palette: [Color] = [
        .blue, .orange, .green, .red, .purple, .brown,
        Color(hex: 0xDA8BC3), Color(hex: 0x8C8C8C), Color(hex: 0xCCB974), Color(hex: 0x64B5CD),
    ]
}
