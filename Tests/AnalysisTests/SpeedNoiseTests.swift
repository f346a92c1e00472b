import Analysis
import Foundation
import Testing

@Suite("Speed noise")
struct SpeedNoiseTests {
    @Test func theNoiseIsTheScaledMedianAbsoluteStep() throws {
        // |d| sorted: 0.01, 0.02, 0.03, 0.04, 0.5: median 0.03, σ = 1.4826 × 0.03.
        let noise = try #require(SpeedNoise(logRatios: [0.02, -0.01, 0.5, -0.04, 0.03]))
        #expect(abs(noise.sd - 1.4826 * 0.03) < 1e-12)
        #expect(noise.steps == 5)
        // The outlier's t = 0.5 / σ ≈ 11.2 on round(0.37 × 4) = 1 degree of freedom: p = 2 atan(1/t)/π ≈ 0.0567.
        let test = noise.test(logRatio: 0.5)
        #expect(abs(test.t - 0.5 / (1.4826 * 0.03)) < 1e-9)
        #expect(noise.degreesOfFreedom == 1)
        #expect(abs(test.p - 2 * atan(1 / test.t) / .pi) < 1e-9)
        #expect(SpeedNoise(logRatios: [0.1, 0.2, 0.3, 0.4]) == nil)
        // Equal timings do not make the noise vanish.
        #expect(SpeedNoise(logRatios: [0, 0, 0, 0, 0, 0.3])?.sd == SpeedNoise.minimumSD)
        #expect(SpeedNoise.logRatio(0, 1) == nil)
    }
}
