import CKernels
@testable import NeuralEngine
import Foundation
import Testing

/// The engine's own elementary functions against the C library's, which may differ by an ulp.
@Suite("Elementary functions")
struct ElementaryTests {
    /// Floats spread over a range, ends included.
    static func grid(_ low: Float, _ high: Float, count: Int = 20_001) -> [Float] {
        (0..<count).map { low + (high - low) * Float($0) / Float(count - 1) }
    }

    static func ulps(_ a: Float, _ b: Float) -> Int { abs(Int(a.bitPattern) - Int(b.bitPattern)) }

    @Test func expIsWithinOneUlpOfTheCLibrarys() {
        let worst = Self.grid(-103, 88.7).map { Self.ulps(Elementary.exp($0), Float(Foundation.exp(Double($0)))) }.max()!
        #expect(worst <= 1)
        #expect(Elementary.exp(Float(0)) == 1)
        #expect(Elementary.exp(Float(89)) == .infinity && Elementary.exp(Float(-105)) == 0 && Elementary.exp(Float.nan).isNaN)
    }

    /// Every kernel level's batch exp (softmax's) gives the scalar function's bits: on the
    /// range's ends and their neighbours, specials, subnormals, and every 4,093rd float.
    @Test(arguments: KernelLevel.supported)
    func theBatchExpIsTheScalarOneBitForBit(level: KernelLevel) {
        var values: [Float] = [0, -0, 1, -1, .nan, .infinity, -.infinity, .leastNonzeroMagnitude,
                               -.leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude,
                               -.greatestFiniteMagnitude, -87.3, -103.97]
        for edge: Float in [88.73, -104] { values += [edge.nextDown, edge, edge.nextUp] }
        values += stride(from: UInt32(0), to: UInt32.max - 4093, by: 4093).map { Float(bitPattern: $0) }
        // Odd lengths too: the kernel's tail goes through a partly filled vector.
        for count in [values.count, 1, 3, 7] {
            let slice = Array(values.prefix(count))
            var got = slice
            got.withUnsafeMutableBufferPointer { ComputeKernels.table(level).pointee.exp(
                $0.baseAddress!, $0.count) }
            let mismatch = zip(slice, got).first { Elementary.exp($0).bitPattern != $1.bitPattern }
            #expect(mismatch == nil, "\(level): exp(\(mismatch?.0 ?? 0)) gave \(mismatch?.1 ?? 0)")
        }
    }

    @Test func logIsWithinOneUlpOfTheCLibrarys() {
        let values = Self.grid(1e-7, 1) + Self.grid(1, 1e6) + [Float.leastNormalMagnitude, 0.5, 2, 1 - 1e-7]
        let worst = values.map { Self.ulps(Elementary.log($0), Float(Foundation.log(Double($0)))) }.max()!
        #expect(worst <= 1)
        #expect(Elementary.log(Float(1)) == 0)
        #expect(Elementary.log(Float(0)) == -Float.infinity && Elementary.log(Float(-1)).isNaN && Elementary.log(Float.infinity) == .infinity)
    }

    @Test func sineAndCosineAgreeWithTheCLibraryToDoublePrecision() {
        var worst = 0.0
        for i in -2000...2000 {
            let x = Double(i) * 0.0123
            let (s, c) = Elementary.sineCosine(x)
            worst = max(worst, abs(s - Foundation.sin(x)), abs(c - Foundation.cos(x)))
        }
        #expect(worst < 1e-14)
        #expect(Elementary.sineCosine(0) == (0, 1))
    }

    @Test func integerPowersMatchPow() {
        for (base, n) in [(0.9, 1), (0.999, 1000), (0.999, 46_900), (0.5, 10), (2.0, 0)] {
            let got = Elementary.power(base, n), expected = Foundation.pow(base, Double(n))
            #expect(abs(got - expected) <= 1e-11 * expected, "\(base)^\(n)")  // a few ulps per squaring
        }
    }
}
