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

            A file of those names already in the folder is refused before anything is written, \
            unless --force.
            """)

    @Option(help: ArgumentHelp("The folder to write into (created if needed).", valueName: "dir"))
    var out: String

    @Flag(help: "Replace files of the same names in the folder (a symbolic link is replaced, never followed); without it they are refused.")
    var force = false

    func run() throws {
        try OutputFolder.prepare(out, option: "--out")
        let scripts = try KerasSource.scripts { try $0.engineParameterCount() }
        let writer = FolderWriter(folder: out, option: "--out", replacing: force)
        try writer.checkFree(scripts.map(\.file) + ["parameters.json"])
        for script in scripts {
            try writer.write(Array(script.source.utf8), named: script.file)
        }
        try writer.write(KerasSource.manifest(scripts), named: "parameters.json")
        say("Wrote \(scripts.count) Keras scripts and parameters.json to \(out)")
    }
}
