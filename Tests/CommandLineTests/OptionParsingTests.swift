import ArgumentParser
import Foundation
@testable import mnist_report
import Testing

/// What the command line says to a user before any work: the parser's verdict on arguments,
/// in the words and with the exit code `ErrorMessage.run` prints them with (2 for bad usage).
@Suite("The command line's options and messages")
struct OptionParsingTests {
    /// The message and exit code for `arguments`, or nil when they parse and validate.
    static func refusal(_ arguments: [String]) -> (message: String, code: Int32)? {
        do {
            _ = try MNISTReport.parseAsRoot(arguments)
            return nil
        } catch {
            let code = MNISTReport.exitCode(for: error)
            return (MNISTReport.fullMessage(for: error), code == .validationFailure ? 2 : code.rawValue)
        }
    }

    static func expectRefused(_ arguments: [String], saying parts: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        guard let (message, code) = refusal(arguments) else {
            Issue.record("\(arguments) was accepted", sourceLocation: sourceLocation)
            return
        }
        #expect(code == 2, "\(arguments): exit \(code)", sourceLocation: sourceLocation)
        for part in parts {
            #expect(message.contains(part), "\(arguments): \(message)", sourceLocation: sourceLocation)
        }
    }

    @Test func sensibleCommandsParse() {
        for arguments in [["build"], ["build", "--profile", "quick", "--name", "ci", "--jobs", "2"],
                          ["build", "--only", "2.4", "--set", "epochs=5", "--set", "learning-rate=0.05"],
                          ["build", "--shard", "2/6"], ["train", "mlp64"], ["train", "lenet5", "--epochs", "3", "--threads", "1"],
                          ["bench", "--models", "mlp500", "--layers"], ["compare", "reports/ci-baseline"],
                          ["digits", "--out", "d", "--count", "20"], ["cache", "merge", "a", "b"]] {
            let refused = Self.refusal(arguments)
            #expect(refused == nil, "\(arguments): \(refused?.message ?? "")")
        }
    }

    @Test func numbersThatSizeSomethingAreBoundedAndTheMessageNamesTheBound() {
        Self.expectRefused(["build", "--jobs", "0"], saying: ["--jobs", "got 0"])
        Self.expectRefused(["build", "--threads", "1000000"], saying: ["--threads", "got 1000000"])
        Self.expectRefused(["bench", "--size", "10"], saying: ["--size must lie in 64…8192", "got 10"])
        Self.expectRefused(["bench", "--epochs", "0"], saying: ["--epochs must lie in 1…100"])
        Self.expectRefused(["build", "--set", "epochs=0x10"], saying: ["epochs"])
        Self.expectRefused(["build", "--set", "epochs=100000"], saying: ["epochs"])
    }

    @Test func shardsAreCheckedBeforeAnyWork() {
        Self.expectRefused(["build", "--shard", "4/3"], saying: ["shard 4 of 3 does not exist"])
        Self.expectRefused(["build", "--shard", "two"], saying: ["--shard expects I/N"])
        Self.expectRefused(["build", "--shard", "-1/3"], saying: ["--shard expects I/N"])
    }

    @Test func unknownNamesListWhatIsAccepted() {
        Self.expectRefused(["train", "resnet"], saying: ["resnet", "mlp64", "cnn16"])
        Self.expectRefused(["build", "--profile", "medium"], saying: ["medium", "quick", "full"])
        Self.expectRefused(["compare", "a", "b", "--fail-on", "better"], saying: ["--fail-on takes 'worse'"])
        Self.expectRefused(["frobnicate"], saying: ["frobnicate"])
    }

    @Test func gateOptionsNeedAGate() {
        Self.expectRefused(["compare", "a", "b", "--accept-missing"], saying: ["give --fail-on worse or --tolerance too"])
        Self.expectRefused(["compare", "a", "b", "--tolerance", "2"], saying: ["--tolerance must be from 0 to 1"])
    }

    @Test func helpExplainsEachCommand() throws {
        let commands: [(name: String, type: any ParsableCommand.Type, mentions: [String])] = [
            ("build", Build.self, ["--jobs", "--shard", "--profile"]), ("train", Train.self, ["--epochs", "--seed", "mlp500"]),
            ("compare", Compare.self, ["McNemar", "--fail-on"]), ("bench", Bench.self, ["--layers", "ceiling"]),
        ]
        for (name, type, mentions) in commands {
            // `--help` parses (into the parser's help command, which prints and exits 0) rather than failing.
            #expect(Self.refusal([name, "--help"]) == nil, "\(name) --help")
            let text = MNISTReport.helpMessage(for: type)
            for mention in mentions { #expect(text.contains(mention), "\(name) --help lacks \(mention)") }
        }
    }

    @Test func errorsReachTheUserAsOneLineWithoutTypeNames() throws {
        struct Document: Codable { var n: Int; var x: Double }
        let decoding = try #require(throws: DecodingError.self) {
            try JSONDecoder().decode(Document.self, from: Data(#"{"n": "seven", "x": 1}"#.utf8))
        }
        #expect(ErrorMessage.describe(decoding) == "cannot read the document: n: expected a whole number")
        let encoding = try #require(throws: EncodingError.self) { try JSONEncoder().encode(Document(n: 1, x: .nan)) }
        #expect(ErrorMessage.describe(encoding) == "cannot write x: nan is not a finite number")
    }
}
