import ArgumentParser
import Files
import Foundation
import Results
import Pipeline
import Rendering
import Training

/// `mnist-report keras-listings --out DIR`: the Keras 3 code of every model as scripts to run.
struct KerasListings: ParsableCommand, ConsoleCommand {
    static let configuration = CommandConfiguration(
        commandName: "keras-listings",
        abstract: "Writes each model's Keras 3 code as a Python script that prints its parameter count.",
        discussion: """
            The scripts are written from the same layer list as the engine's models and the \
            report's listings: <model>.py builds and compiles the model in Keras 3 and prints \
            model.count_params(); parameters.json holds the engine's count for each. \
            scripts/check-keras-listings runs them in Keras and compares the two.

            Example:
              mnist-report keras-listings --out /tmp/keras && python3 /tmp/keras/lenet5.py
            """)

    @Option(help: ArgumentHelp("The folder to write into (created if needed).", valueName: "dir"))
    var out: String

    func run() throws {
        try OutputFolder.prepare(out, option: "--out")
        let scripts = try KerasSource.scripts { try $0.engineParameterCount() }
        for script in scripts {
            try OutputFile.write(Array(script.source.utf8), to: (out as NSString).appendingPathComponent(script.file))
        }
        try OutputFile.write(KerasSource.manifest(scripts), to: (out as NSString).appendingPathComponent("parameters.json"))
        say("Wrote \(scripts.count) Keras scripts and parameters.json to \(out)")
    }
}
