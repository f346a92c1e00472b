import Foundation
import Assignment
import Plotting
import Testing
@testable import Results
import ReportFixtures
@testable import Rendering

/// Every text of every figure stays legible when the figure is shown in a phone's column:
/// font size / figure width ≥ 11 / 358 (11 CSS px in 358 px), measured with Cairo's own text
/// metrics, and every text lies inside the figure.
@Suite("Figure legibility")
struct FigureLegibilityTests {
    /// Records the texts drawn, measuring with Cairo so the layout is the one written to file.
    final class MeasuringRecorder: Renderer {
        let size: Size
        let cairo: CairoRenderer
        var texts: [(text: String, font: Font, box: Rect)] = []

        init(size: Size) throws {
            self.size = size
            cairo = try CairoRenderer(size: size, destination: .svgInMemory)
        }

        func drawPath(_ path: Plotting.Path, stroke: Stroke?, fill: Color?) {}
        func drawImage(grayscale pixels: [UInt8], width: Int, height: Int, in rect: Rect, inverted: Bool) {}
        func measureText(_ text: String, font: Font) -> Size { cairo.measureText(text, font: font) }

        func drawText(_ text: String, at point: Point, font: Font, color: Color,
                      anchor: TextAnchor, baseline: TextBaseline, rotation: Double) {
            let size = measureText(text, font: font)
            let dx = anchor == .start ? 0 : anchor == .middle ? -size.width / 2 : -size.width
            let dy = baseline == .top ? 0 : baseline == .middle ? -size.height / 2 : -size.height
            // A quarter turn swaps the box's sides about the anchor point.
            let box = rotation == 0 ? Rect(x: point.x + dx, y: point.y + dy, width: size.width, height: size.height)
                : Rect(x: point.x + dy, y: point.y - dx - size.width, width: size.height, height: size.width)
            texts.append((text, font, box))
        }
    }

    @Test func everyTextIsAtLeast11PixelsInAPhonesColumnAndInsideTheFigure() throws {
        let figures = ReportFigures.make(Fixtures.recorded(FigureTests.results(edit: FigureTests.setHistory)))
        #expect(figures.count == Catalogue.chapters.flatMap(\.figures).count)
        for figure in figures {
            let size = figure.figure.size
            let recorder = try MeasuringRecorder(size: size)
            figure.figure.draw(on: recorder)
            #expect(!recorder.texts.isEmpty)
            let smallest = try #require(recorder.texts.map(\.font.size).min())
            // Shown 358 px wide (or at its own width when narrower), in CSS px.
            let shown = smallest * min(1, 358 / size.width)
            #expect(shown >= 11, "\(figure.id): \(smallest) pt in \(size.width) pt shows at \(shown) px")
            for text in recorder.texts {
                #expect(text.box.minX >= -0.5 && text.box.maxX <= size.width + 0.5 && text.box.minY >= -0.5
                        && text.box.maxY <= size.height + 0.5, "\(figure.id): \"\(text.text)\" at \(text.box) leaves \(size)")
            }
        }
    }

    @Test func theRuleCatchesASmallFont() throws {
        // The same test on a grid with 10-point captions in a wide figure must fail.
        let grid = ImageGrid(title: "x", columns: 12, cells: (0..<12).map { _ in
            ImageGrid.Cell(pixels: [UInt8](repeating: 0, count: 784), caption: "label 7")
        }, captionFont: Font(size: 10))
        let recorder = try MeasuringRecorder(size: grid.size)
        grid.draw(on: recorder)
        let smallest = try #require(recorder.texts.map(\.font.size).min())
        #expect(smallest * min(1, 358 / grid.size.width) < 11)
    }
}
