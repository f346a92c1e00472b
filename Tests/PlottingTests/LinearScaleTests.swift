import Plotting
import Testing

@Suite("Linear scale and nice ticks")
struct LinearScaleTests {
    @Test func mapsDomainEndsToRangeEnds() {
        let scale = LinearScale(domain: 0.9...1.0, range: (300, 20))  // a y axis: upwards
        #expect(abs(scale(0.9) - 300) < 1e-9)
        #expect(abs(scale(1.0) - 20) < 1e-9)
        #expect(abs(scale(0.95) - 160) < 1e-9)
        #expect(abs(scale.invert(160) - 0.95) < 1e-12)
    }

    @Test func degenerateDomainMapsToTheMiddleWithOneTick() {
        let scale = LinearScale(domain: 3...3, range: (0, 100))
        #expect(scale(3) == 50)
        #expect(scale.ticks() == [Tick(value: 3, label: "3")])
    }

    @Test func accuracyTicksAreHundredths() {
        let ticks = LinearScale(domain: 0.9182...0.9731, range: (0, 1)).ticks(count: 5)
        #expect(ticks.map(\.label) == ["0.92", "0.93", "0.94", "0.95", "0.96", "0.97"])
        for (tick, expected) in zip(ticks, [0.92, 0.93, 0.94, 0.95, 0.96, 0.97]) {
            #expect(abs(tick.value - expected) < 1e-12)
            #expect((0.9182...0.9731).contains(tick.value))
        }
    }

    @Test func epochTicksAreWholeTens() {
        let ticks = LinearScale(domain: 0...40, range: (0, 1)).ticks(count: 5)
        #expect(ticks.map(\.value) == [0, 10, 20, 30, 40])
        #expect(ticks.map(\.label) == ["0", "10", "20", "30", "40"])
        #expect(LinearScale(domain: 0...40, range: (0, 1)).ticks(count: 8).map(\.value) == [0, 5, 10, 15, 20, 25, 30, 35, 40])
    }

    @Test func stepsAreOneTwoOrFiveTimesAPowerOfTen() {
        #expect(LinearScale(domain: 0...1, range: (0, 1)).tickStep(count: 5) == 0.2)
        #expect(LinearScale(domain: 0...100, range: (0, 1)).tickStep(count: 4) == 20)
        #expect(LinearScale(domain: 0...0.003, range: (0, 1)).tickStep(count: 6) == 0.0005)
        #expect(LinearScale(domain: -7...7, range: (0, 1)).tickStep(count: 3) == 5)
    }

    @Test func labelsHaveJustEnoughDecimals() {
        #expect(Tick.label(0.5, step: 0.1) == "0.5")
        #expect(Tick.label(0.25, step: 0.05) == "0.25")
        #expect(Tick.label(0.001, step: 0.0005) == "0.0010")
        #expect(Tick.label(20, step: 20) == "20")
        #expect(Tick.label(-0.0, step: 0.1) == "0.0")
        #expect(Tick.label(-1e-17, step: 0.01) == "0.00")
        #expect(Tick.label(0.97312, step: 0) == "0.9731")
        let ticks = LinearScale(domain: -0.3...0.3, range: (0, 1)).ticks(count: 6)
        #expect(ticks.map(\.label) == ["-0.3", "-0.2", "-0.1", "0.0", "0.1", "0.2", "0.3"])
    }

    @Test func nicedDomainEndsOnTicks() {
        let scale = LinearScale(domain: 0.9182...0.9731, range: (0, 1)).niced(count: 5)
        #expect(abs(scale.domain.lowerBound - 0.91) < 1e-12)
        #expect(abs(scale.domain.upperBound - 0.98) < 1e-12)
    }
}
