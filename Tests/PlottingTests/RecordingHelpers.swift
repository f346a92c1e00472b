import Plotting

/// The figures' paths as recorded, with helpers to find segments.
extension RecordingRenderer {
    /// The paths that are a single straight segment, as their two end points.
    var segments: [(start: Point, end: Point, stroke: Stroke?)] {
        paths.compactMap { entry in
            guard entry.path.elements.count == 2, case let .move(a) = entry.path.elements[0],
                  case let .line(b) = entry.path.elements[1] else { return nil }
            return (a, b, entry.stroke)
        }
    }

    /// The texts drawn, with their positions and rotations.
    var placedTexts: [(text: String, point: Point, rotation: Double)] {
        primitives.compactMap {
            if case let .text(text, point, _, _, _, _, rotation) = $0 { (text, point, rotation) } else { nil }
        }
    }
}

func close(_ a: Double, _ b: Double, tolerance: Double = 1e-9) -> Bool { abs(a - b) <= tolerance }
func close(_ a: Point, _ b: Point, tolerance: Double = 1e-9) -> Bool {
    close(a.x, b.x, tolerance: tolerance) && close(a.y, b.y, tolerance: tolerance)
}
