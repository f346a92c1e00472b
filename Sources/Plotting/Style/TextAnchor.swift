/// Which point of a text's advance the drawing position is: its start, middle or end.
public enum TextAnchor: Hashable, Sendable { case start, middle, end }
