import Results
import Assignment
import Foundation
import Architecture
import Plotting

extension ReportViewModel {
    /// The figures' template values by key (`fig_2_3_accuracy`): number, caption, the inline
    /// SVG made accessible (see ``accessibleSVG(_:id:title:summary:)``), and the files.
    static func figureContext(_ figures: [ReportFigure], svgs: [String: String]) -> [String: FigureView] {
        var result: [String: FigureView] = [:]
        for f in figures {
            let key = f.id.replacingOccurrences(of: "-", with: "_")
            let svg = svgs[f.id].map { accessibleSVG($0, id: f.id, title: f.title.isEmpty ? "Figure \(f.number)" : f.title,
                                                     summary: f.summary) } ?? ""
            result[key] = FigureView(number: String(f.number), caption: f.caption, svg: svg,
                                     png: "\(f.id).png", svgFile: "\(f.id).svg", anchor: f.id)
        }
        return result
    }

    /// The comparison page's figure entries (number, caption, anchor and the accessible inline
    /// SVG), drawn now.
    public static func inlineFigures(_ figures: [ReportFigure]) throws -> [InlineFigure] {
        try figures.enumerated().map { index, f in
            let svg = try svgString(f.figure, idPrefix: f.id)
            // The text's list of links: "Figure 1, Figure 2 and Figure 3".
            let separator = index == figures.count - 1 ? "" : index == figures.count - 2 ? " and " : ", "
            return InlineFigure(number: String(f.number), caption: f.caption, anchor: f.id, separator: separator,
                                svg: accessibleSVG(svg, id: f.id, title: f.title.isEmpty ? "Figure \(f.number)" : f.title, summary: f.summary))
        }
    }

    /// `svg`, a whole SVG document, made ready to sit inside an HTML page and be read out:
    /// the XML declaration (`<?xml …?>`, which HTML does not allow there) is dropped; the root
    /// gets `role="img"` and `aria-labelledby` naming a `<title>` (`title`) and a `<desc>`
    /// (`summary`), inserted as its first children, with ids `id-title` and `id-desc` (the
    /// figure's id keeps them unique in the page). A document without an `<svg` root is
    /// returned without its declaration only.
    static func accessibleSVG(_ svg: String, id: String, title: String, summary: String) -> String {
        var text = Substring(svg)
        while text.first?.isWhitespace == true { text.removeFirst() }
        if text.hasPrefix("<?xml"), let end = text.range(of: "?>") {
            text = text[end.upperBound...]
            while text.first?.isNewline == true { text.removeFirst() }
        }
        guard let root = text.range(of: "<svg"), let close = text.range(of: ">", range: root.upperBound..<text.endIndex) else {
            return String(text)
        }
        let selfClosing = text[text.index(before: close.lowerBound)] == "/"
        let attributesEnd = selfClosing ? text.index(before: close.lowerBound) : close.lowerBound
        let (titleID, descID) = ("\(id)-title", "\(id)-desc")
        let elements = "<title id=\"\(escaped(titleID))\">\(escaped(title))</title>"
            + "<desc id=\"\(escaped(descID))\">\(escaped(summary))</desc>"
        return String(text[..<attributesEnd])
            + " role=\"img\" aria-labelledby=\"\(escaped(titleID)) \(escaped(descID))\""
            + (selfClosing ? ">" + elements + "</svg>" : ">\n" + elements)
            + String(text[close.upperBound...])
    }

    /// `text` with the characters XML gives a meaning escaped, for element content and
    /// double-quoted attribute values.
    static func escaped(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            default: result.append(character)
            }
        }
        return result
    }
}

/// A figure of the report: its number, caption, inline SVG, files and anchor.
struct FigureView {
    var number, caption, svg, png, svgFile, anchor: String
}

/// A figure of the comparison page, with the separator that follows it in the text's list of links.
public struct InlineFigure: Sendable {
    var number, caption, anchor, separator, svg: String
}
