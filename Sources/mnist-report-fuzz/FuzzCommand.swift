#if !FUZZING
import Foundation

/// The plain build of the fuzz harnesses (no libFuzzer): replays inputs through a harness, to
/// reproduce a crash under a debugger or with any sanitizer, and writes the seed corpus.
@main
struct FuzzCommand {
    static let usage = """
        usage: mnist-report-fuzz run TARGET FILE|FOLDER...   replay inputs through a harness
               mnist-report-fuzz seeds FOLDER                write the seed corpus into FOLDER/<target>/
        targets: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))
        The fuzzing build (-sanitize=fuzzer -D FUZZING) is libFuzzer instead; see Fuzz/README.md.
        """

    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        switch arguments.first {
        case "run" where arguments.count >= 3:
            guard let target = FuzzTarget(rawValue: arguments[1]) else { FuzzTarget.fail("unknown target \(arguments[1])\n\(usage)") }
            replay(target, paths: Array(arguments.dropFirst(2)))
        case "seeds" where arguments.count == 2:
            do {
                let written = try SeedCorpus.write(to: arguments[1])
                print("Wrote \(written.count) seeds into \(arguments[1])")
            } catch {
                FuzzTarget.fail("\(error)")
            }
        case "-h", "--help", "help":
            print(usage)
        default:
            FuzzTarget.fail("\n\(usage)")
        }
    }

    /// Runs every file named, or found in a named folder, through `target`'s harness, naming
    /// each first on stderr so that the one that crashes is the last line printed.
    static func replay(_ target: FuzzTarget, paths: [String]) {
        target.prepare()
        var files: [String] = []
        for path in paths {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { FuzzTarget.fail("\(path) does not exist") }
            if isFolder.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                files += names.sorted().map { (path as NSString).appendingPathComponent($0) }
            } else {
                files.append(path)
            }
        }
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else { FuzzTarget.fail("\(file) cannot be read") }
            FileHandle.standardError.write(Data("\(target.rawValue): \(file) (\(data.count) bytes)\n".utf8))
            print("\(file): \(target.run([UInt8](data)))")
        }
        print("\(files.count) input\(files.count == 1 ? "" : "s") ran through \(target.rawValue) without a finding")
    }
}
#endif
