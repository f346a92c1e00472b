import Foundation
import Plotting
import Testing
@testable import Results
import ReportFixtures
@testable import Rendering

/// The inline SVGs: no XML declaration inside the HTML, a role, and a title and description
/// with ids unique in the page.
@Suite("Figure accessibility")
struct FigureAccessibilityTests {
    static let cairoLike = """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="480" height="360" viewBox="0 0 480 360" version="1.1">
        <rect x="0" y="0" width="480" height="360"/>
        </svg>
        """

    @Test func stripsTheXMLDeclarationAndLabelsTheRoot() {
        let svg = ReportViewModel.accessibleSVG(Self.cairoLike, id: "fig-2-3-accuracy", title: "2.3 — accuracy",
                                                summary: "Training accuracy rises.")
        #expect(!svg.contains("<?xml"))
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"480\""))
        #expect(svg.contains(" version=\"1.1\" role=\"img\" aria-labelledby=\"fig-2-3-accuracy-title fig-2-3-accuracy-desc\">"))
        #expect(svg.contains("<title id=\"fig-2-3-accuracy-title\">2.3 — accuracy</title><desc id=\"fig-2-3-accuracy-desc\">Training accuracy rises.</desc>"))
        // The title and description come first inside the root, before any drawing.
        let title = svg.range(of: "<title")?.lowerBound, rect = svg.range(of: "<rect")?.lowerBound
        #expect(title != nil && rect != nil && title! < rect!)
        #expect(svg.hasSuffix("</svg>"))
    }

    @Test func escapesTheTextsAndLeavesADocumentWithoutDeclarationAlone() {
        let svg = ReportViewModel.accessibleSVG("<svg viewBox=\"0 0 1 1\"></svg>", id: "f", title: "A < B & \"C\"", summary: "x > y")
        #expect(svg == "<svg viewBox=\"0 0 1 1\" role=\"img\" aria-labelledby=\"f-title f-desc\">\n<title id=\"f-title\">A &lt; B &amp; &quot;C&quot;</title><desc id=\"f-desc\">x &gt; y</desc></svg>")
        #expect(ReportViewModel.accessibleSVG("<svg/>", id: "g", title: "T", summary: "S")
            == "<svg role=\"img\" aria-labelledby=\"g-title g-desc\"><title id=\"g-title\">T</title><desc id=\"g-desc\">S</desc></svg>")
    }

    @Test func everyFigureOfThePageGetsItsOwnTitleAndDescription() throws {
        let figures = ReportFigures.make(Fixtures.recorded(Fixtures.results()))
        var svgs: [String: String] = [:]
        for figure in figures { svgs[figure.id] = try svgString(figure.figure, idPrefix: figure.id) }
        let context = ReportViewModel.figureContext(figures, svgs: svgs)
        var ids: [String] = []
        for figure in figures {
            let entry = try #require(context[figure.id.replacingOccurrences(of: "-", with: "_")])
            let svg = entry.svg
            #expect(!svg.contains("<?xml"), "\(figure.id)")
            #expect(svg.contains("role=\"img\""))
            #expect(!figure.title.isEmpty && !figure.summary.isEmpty, "\(figure.id)")
            #expect(svg.contains("<title id=\"\(figure.id)-title\">\(ReportViewModel.escaped(figure.title))</title>"))
            #expect(svg.contains("<desc id=\"\(figure.id)-desc\">\(ReportViewModel.escaped(figure.summary))</desc>"))
            #expect(entry.svgFile == "\(figure.id).svg" && entry.png == "\(figure.id).png")
            ids += Self.ids(in: svg)
        }
        #expect(ids.count == Set(ids).count, "ids repeated in the page")
    }

    /// The values of every `id="…"` in `text`.
    static func ids(in text: String) -> [String] {
        text.components(separatedBy: " id=\"").dropFirst().compactMap { $0.split(separator: "\"", maxSplits: 1).first.map(String.init) }
    }
}
