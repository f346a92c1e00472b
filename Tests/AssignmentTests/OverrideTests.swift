import Testing
@testable import Assignment

/// `--set key=value`: whole numbers in decimal digits only, rates in decimal notation.
@Suite("Overrides")
struct OverrideTests {
    @Test(arguments: ["epochs=0x10", "epochs=1e3", "epochs=+5", "epochs= 5", "batch-size=0x20", "batch-size=64.0"])
    func wholeNumbersAreDigitsOnly(_ text: String) {
        #expect {
            try Override(parsing: text)
        } throws: { error in
            let message = String(describing: error)
            return message.hasPrefix("--set \(text.split(separator: "=")[0]): expected a whole number") && message.contains("decimal digits")
        }
    }

    @Test func decimalWholeNumbersAndRatesAreRead() throws {
        #expect(try Override(parsing: "epochs=16").value == 16)
        #expect(try Override(parsing: "batch-size=0128").value == 128)
        #expect(try Override(parsing: "learning-rate=1e-3").value == 0.001)
        #expect(try Override(parsing: "learning-rate=0.05").value == 0.05)
    }

    @Test(arguments: ["learning-rate=0x1p-3", "learning-rate=nan", "learning-rate=inf", "learning-rate=1e3"])
    func ratesOutsideDecimalOrRangeAreRefused(_ text: String) {
        #expect { try Override(parsing: text) } throws: { String(describing: $0).hasPrefix("--set learning-rate: expected a number") }
    }
}
