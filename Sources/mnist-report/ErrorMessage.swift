import ArgumentParser
import DigitImages
import Files
import Foundation
import MNIST
import NeuralEngine
import Results
import Pipeline
import Rendering

/// One line for any error that reaches the command line: what the user can act on (the file, the
/// field, what was found and expected), never a Foundation error domain or a Swift type name.
enum ErrorMessage {
    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as DecodingError:
            return "cannot read the document: \(JSONExplanation.explain(error, in: nil))"
        case let error as EncodingError:
            if case let .invalidValue(value, context) = error {
                return "cannot write \(JSONExplanation.located(context.codingPath)): \(value) is not a finite number"
            }
            return "cannot encode the document"
        case let error as CocoaError:
            return cocoa(error)
        case let error as POSIXError:
            return String(cString: strerror(error.code.rawValue))
        case let error as any CustomStringConvertible:
            return error.description
        default:
            return "\(error.localizedDescription)"
        }
    }

    /// Foundation's file errors: the path and the reason in words.
    static func cocoa(_ error: CocoaError) -> String {
        let reason = FileProblem.describe(error)
        return (error.filePath ?? error.url?.path).map { "\($0): \(reason)" } ?? reason
    }

    /// Runs the command the arguments name, printing any failure as one line on standard error.
    /// Usage errors (a bad option or value) exit with 2, failures of the work itself with 1.
    static func run<Command: ParsableCommand>(_ root: Command.Type) -> Never {
        do {
            var command = try root.parseAsRoot()
            try command.run()
            exit(0)
        } catch let code as ExitCode {
            exit(code.rawValue)
        } catch {
            // The parser's own outcomes (help, usage errors) keep its wording.
            if error is ValidationError || String(reflecting: type(of: error)).hasPrefix("ArgumentParser.") {
                let code = root.exitCode(for: error)
                if code == .success {   // --help, --version: through the checked writer, so a failing stream says so
                    Console().say(root.fullMessage(for: error))
                    exit(0)
                }
                printError(root.fullMessage(for: error))
                exit(code == .validationFailure ? 2 : code.rawValue)
            }
            // One line, whatever paths or names of the user's it quotes: no control characters.
            printError("Error: \(UntrustedText.terminal(describe(error)))")
            exit(1)
        }
    }
}
