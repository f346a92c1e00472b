#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// One fuzz target: a reader of untrusted bytes, and what the harness checks after it.
///
/// Every harness takes arbitrary bytes and must neither crash nor trip AddressSanitizer: a
/// thrown error is the expected answer to bad input. Beyond memory safety, a harness checks a
/// few invariants that must hold whenever a reader accepts its input (a decoded model saves
/// and loads back identically, an image has 784 pixels, ...) and stops with `fatalError`
/// naming the broken one, so that the fuzzer records the input that broke it.
enum FuzzTarget: String, CaseIterable, Sendable {
    /// `SafeTensors.decode`, `SafeTensors.model(from:)`, one `predict`, save and load again.
    case safetensors
    /// `GzipFile.decompress` (limit 1 MiB), then `IDXFile` as images (N × 28 × 28) and as labels (N).
    case idx
    /// `DigitImage(png:path:)`: the PNG header check, then cairo and libpng.
    case png
    /// `ResultsDocument.decode(_:source:)` (JSON, schema, types, values), then the report of a
    /// document that passes: its figures as SVG, its view model, `index.mustache`.
    case results

    /// The environment variable that names the target of a fuzzing process.
    static let environmentVariable = "FUZZ_TARGET"

    /// The largest input worth mutating: a little above the largest seed, so the fuzzer can
    /// grow inputs without spending its time on huge ones. `scripts/fuzz` passes the same
    /// numbers as libFuzzer's `-max_len` (keep the two in step); every seed must fit.
    var maximumLength: Int {
        switch self {
        case .safetensors: return 16 << 10
        case .idx: return 16 << 10
        case .png: return 8 << 10
        case .results: return 32 << 10
        }
    }

    /// Runs the harness on one input and says what the reader made of it (for replays; the
    /// fuzzer ignores it): `accepted: …` or `rejected: ` and the error.
    @discardableResult
    func run(_ bytes: [UInt8]) -> String {
        switch self {
        case .safetensors: return Self.safetensors(bytes)
        case .idx: return Self.idx(bytes)
        case .png: return Self.png(bytes)
        case .results: return Self.results(bytes)
        }
    }

    /// An outcome line for a thrown error.
    static func rejected(_ error: any Error) -> String { "rejected: \(error)" }

    /// Loads what the harness needs once per process (the report's templates), so the first
    /// input is not slower than the others and a missing fixture fails before fuzzing starts.
    func prepare() {
        if self == .results { _ = ReportFixture.shared }
    }

    /// The target named by `$FUZZ_TARGET`; the process stops with a message when it names none.
    static let selected: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment[environmentVariable] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            let names = allCases.map(\.rawValue).joined(separator: ", ")
            fail("\(environmentVariable)=\"\(name)\" names no fuzz target; set it to one of: \(names)")
        }
        return target
    }()

    /// Whether a report that cannot be rendered from a validated document stops the process
    /// (`FUZZ_STRICT=1`): the validation should let through only documents the report can show.
    static let strict = ProcessInfo.processInfo.environment["FUZZ_STRICT"] == "1"

    /// Prints `message` to stderr and exits with status 2 (a usage error, not a finding).
    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("mnist-report-fuzz: \(message)\n".utf8))
        exit(2)
    }
}
