import Foundation
import Testing
import NeuralEngine
@testable import Results
import ReportFixtures
@testable import Pipeline
@testable import Rendering

/// The run's facts in "About this run": the machine, the toolchain, the working tree, and what
/// results written before these facts were recorded show instead.
@Suite("Run facts")
struct RunFactsTests {
    @Test func theToolchainNamesTheCompilerToItsPatchRelease() throws {
        let toolchain = MachineFacts.toolchain
        #expect(toolchain.wholeMatch(of: /Swift [0-9]+\.[0-9]+(\.[0-9]+)?( or later)?/) != nil, "\(toolchain)")
        #expect(toolchain != "Swift 6.3 or later")
        #if compiler(>=6.3.1) && !compiler(>=6.3.2)
        #expect(toolchain == "Swift 6.3.1")
        #endif
    }

    @Test func theOperatingSystemIsThePrettyNameAndTheKernel() {
        let release = "NAME=\"Debian GNU/Linux\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\n"
        #expect(MachineFacts.describeOS(osRelease: release, kernel: "Linux 6.1.0-18-amd64")
                == "Debian GNU/Linux 12 (bookworm), Linux 6.1.0-18-amd64")
        // Without PRETTY_NAME, the NAME; without either, the kernel alone; without anything, "unknown".
        #expect(MachineFacts.describeOS(osRelease: "NAME='Alpine Linux'\n", kernel: nil) == "Alpine Linux")
        #expect(MachineFacts.describeOS(osRelease: "", kernel: "Linux 6.1") == "Linux 6.1")
        #expect(MachineFacts.describeOS(osRelease: "PRETTY_NAME=\"\"\n", kernel: nil) == "unknown")
        #expect(MachineFacts.os.contains("Linux"))
    }

    @Test func theKernelLevelIsNamed() {
        #expect(KernelLevel(rawValue: MachineFacts.kernels) != nil, "\(MachineFacts.kernels)")
        #expect(MachineFacts.cpu.hasSuffix(" (\(MachineFacts.kernels) kernels)"))
    }

    @Test(arguments: [
        (commit: "0123", dirty: false as Bool?, expected: "clean"),
        (commit: "0123", dirty: true, expected: "with uncommitted changes"),
        (commit: "0123", dirty: nil, expected: "not recorded"),
        (commit: nil as String?, dirty: nil, expected: "not a git checkout"),
    ])
    func theWorkingTreeIsSaidInWords(commit: String?, dirty: Bool?, expected: String) {
        var run = Fixtures.results().run
        (run.gitCommit, run.gitDirty) = (commit, dirty)
        #expect(ReportViewModel.workingTree(run) == expected)
    }

    @Test func theCPUIsSplitIntoItsModelAndKernels() {
        #expect(ReportViewModel.cpuParts("Intel Xeon (avx512 kernels)") == ("Intel Xeon", "avx512"))
        #expect(ReportViewModel.cpuParts("AMD EPYC 9B14 (OpenBLAS Zen kernels)") == ("AMD EPYC 9B14", "Zen"))
        #expect(ReportViewModel.cpuParts("Intel (R) Xeon (OpenBLAS SkylakeX kernels)") == ("Intel (R) Xeon", "SkylakeX"))
        #expect(ReportViewModel.cpuParts("Test CPU") == ("Test CPU", nil))
        #expect(ReportViewModel.cpuParts("Odd ( OpenBLAS  kernels)").kernels == nil)
    }

    @Test func resultsFromBeforeTheNewFactsShowNotRecorded() throws {
        // The fixture's RunInfo has no os, openblas or core_type, like results written before them.
        var results = Fixtures.results(cpu: "Test CPU")
        let json = String(decoding: try results.encoded(), as: UTF8.self)
        #expect(!json.contains("\"os\"") && !json.contains("\"openblas\"") && !json.contains("\"core_type\""))
        let reread = try ResultsDocument.decode(Data(json.utf8), source: "old.json")
        let run = ReportViewModel.run(reread)
        #expect(run.os == "not recorded")
        #expect(run.kernels == "not recorded")
        #expect(run.cpuModel == "Test CPU")
        #expect(run.workingTree == "clean")
        // An older cpu text still names its kernels.
        results.run.cpu = "AMD EPYC (OpenBLAS Haswell kernels)"
        #expect(ReportViewModel.run(results).kernels == "OpenBLAS's Haswell kernels")
        #expect(ReportViewModel.run(results).cpuModel == "AMD EPYC")
    }

    @Test func newFactsAreWrittenWithSnakeCaseKeysAndShown() throws {
        var results = Fixtures.results(cpu: "AMD EPYC (OpenBLAS Haswell kernels)")
        (results.run.os, results.run.openblas, results.run.coreType) =
            ("Debian GNU/Linux 12 (bookworm), Linux 6.1.0", "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Zen MAX_THREADS=64", "Zen")
        let json = String(decoding: try results.encoded(), as: UTF8.self)
        #expect(json.contains("\"core_type\" : \"Zen\""))
        let reread = try ResultsDocument.decode(Data(json.utf8), source: "new.json")
        let run = ReportViewModel.run(reread)
        #expect(run.os == "Debian GNU/Linux 12 (bookworm), Linux 6.1.0")
        #expect(run.kernels == "OpenBLAS's Zen kernels (OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Zen MAX_THREADS=64)",
                "the recorded kernel set wins over the cpu text")
    }

    @Test func theEngineKernelLevelIsWrittenAndShown() throws {
        var results = Fixtures.results(cpu: "Intel Xeon (avx2 kernels)")
        results.run.kernels = "avx2"
        let json = String(decoding: try results.encoded(), as: UTF8.self)
        #expect(json.contains("\"kernels\" : \"avx2\""))
        let run = ReportViewModel.run(try ResultsDocument.decode(Data(json.utf8), source: "new.json"))
        #expect(run.kernels.hasPrefix("the engine's avx2 kernels") == true)
        #expect(run.cpuModel == "Intel Xeon")
    }

    @Test(arguments: [
        ("", "1 to 200"), (String(repeating: "x", count: 201), "1 to 200"), ("Debian\u{7}", "not printable"),
        ("Debian\nLinux", "not printable"), ("Debian\u{202E}", "not printable"), (" Debian", "space"),
    ])
    func machineTextThatCannotBeShownIsRejected(value: String, message: String) throws {
        for field in ["os", "openblas", "core_type", "kernels"] {
            var results = Fixtures.results()
            switch field {
            case "os": results.run.os = value
            case "openblas": results.run.openblas = value
            case "kernels": results.run.kernels = value
            default: results.run.coreType = value
            }
            let problems = results.problems()
            #expect(problems.count == 1, "\(field): \(problems)")
            #expect(problems.first?.hasPrefix("run.\(field): ") == true, "\(problems)")
            #expect(problems.first?.contains(message) == true, "\(problems)")
            // And a file holding it is refused when read.
            let data = try results.encoded()
            #expect(throws: ReportError.self) { try ResultsDocument.decode(data, source: "bad.json") }
        }
    }

    @Test func printableMachineTextIsAccepted() {
        var results = Fixtures.results()
        (results.run.os, results.run.openblas, results.run.coreType) =
            ("Ubuntu 24.04.1 LTS, Linux 6.8.0-45-generic", "OpenBLAS 0.3.26 DYNAMIC_ARCH NO_AFFINITY SkylakeX MAX_THREADS=128", "SkylakeX")
        #expect(results.problems().isEmpty)
        results.run.os = "Fedora Linux 40 (Workstation Edition) — ünïcode, Linux 6.9"
        #expect(results.problems().isEmpty)
    }
}
