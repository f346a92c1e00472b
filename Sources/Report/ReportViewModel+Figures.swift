import Assignment
import Foundation
import MNIST
import NeuralEngine

extension ReportViewModel {
    static func figureContext(_ figures: [ReportFigure], svgs: [String: String]) -> [String: Any] {
        var result: [String: Any] = [:]
        for f in figures {
            let key = f.id.replacingOccurrences(of: "-", with: "_")
            result[key] = ["number": String(f.number), "caption": f.caption, "svg": svgs[f.id] ?? "",
                           "png": "\(f.id).png", "svg_file": "\(f.id).svg", "anchor": f.id]
        }
        return result
    }
}
