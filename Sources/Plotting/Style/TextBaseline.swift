/// Which line of a text's box the drawing position is: the top of the font's ascent,
/// the middle of the box, or the bottom of its descent.
public enum TextBaseline: Hashable, Sendable { case top, middle, bottom }
