/// What can go wrong while writing a figure, each case naming the file.
public enum PlotError: Error, CustomStringConvertible, Equatable {
    /// The figure's size (times the PNG scale) is not a positive, finite number of points.
    case invalidSize(path: String, width: Double, height: Double)
    /// Cairo reported an error; `reason` is Cairo's message, or ours when we know better.
    case cairo(path: String, reason: String)
    /// The finished temporary file could not be moved onto the destination.
    case cannotRename(from: String, to: String, reason: String)

    public var description: String {
        switch self {
        case let .invalidSize(path, width, height):
            return "\(path): cannot draw a figure of \(width) × \(height) points"
        case let .cairo(path, reason):
            return "\(path): cannot be written: \(reason)"
        case let .cannotRename(from, to, reason):
            return "\(to): cannot be written: moving \(from) onto it failed: \(reason)"
        }
    }
}
