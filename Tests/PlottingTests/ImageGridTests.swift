import Plotting
import Testing

@Suite("Image grid layout")
struct ImageGridTests {
    let grid = ImageGrid(title: "Digits", columns: 3, cells: (0..<5).map { digit in
        .init(pixels: [UInt8](repeating: UInt8(digit * 50), count: 784), caption: "\(digit)",
              captionColor: digit == 4 ? .red : .darkGray)
    })

    @Test func placesOneImageAndCaptionPerCellRowByRow() {
        let renderer = RecordingRenderer(size: grid.size)
        grid.draw(on: renderer)
        #expect(grid.rows == 2)
        let images = renderer.primitives.compactMap { if case let .image(_, _, rect, _) = $0 { rect } else { nil } }
        #expect(images == (0..<5).map { grid.imageFrame(ofCell: $0) })
        #expect(images[0].minY == images[2].minY && images[3].minY > images[0].maxY)
        #expect(images[3].minX == images[0].minX)
        #expect(images.allSatisfy { $0.maxX <= grid.size.width && $0.maxY <= grid.size.height })
        #expect(renderer.texts == ["Digits", "0", "1", "2", "3", "4"])
        let red = renderer.primitives.compactMap { if case let .text(text, _, _, color, _, _, _) = $0, color == .red { text } else { nil } }
        #expect(red == ["4"])
    }
}
