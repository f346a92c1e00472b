import ArgumentParser
import Assignment
import Training
import Files
import Foundation
import NeuralEngine
import Results
import Pipeline
import Rendering

struct Train: ParsableCommand, ConsoleCommand {
    static let configuration = CommandConfiguration(
        abstract: "Trains one of the assignment's models and reports its test loss and accuracy.",
        discussion: "Models: \(Catalogue.modelsHelp). The test set is the validation data, as in the notebook.")

    @Argument(help: ArgumentHelp("The model: \(ModelKind.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "model"))
    var model: ModelKind

    @Option(help: "Epochs (default: the notebook's for the model).")
    var epochs: Int?

    @Option(help: "Items per batch.")
    var batchSize: Int = 128

    @Option(help: "Learning rate (default: the notebook's).")
    var learningRate: Float?

    @Option(help: "L2 factor of the regularised kernels (default: the notebook's for the model).")
    var l2: Float?

    @Option(help: "Seed of the generator behind initialisation, shuffling and dropout.")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Train on only the first N batches of each epoch, as Keras's steps_per_epoch (default: every batch).",
                               valueName: "N"))
    var stepsPerEpoch: Int?

    @Option(help: ArgumentHelp("Validate, and test at the end, on only the first M batches of test images, as Keras's validation_steps (default: all 10,000).",
                               valueName: "M"))
    var validationSteps: Int?

    @Option(help: ArgumentHelp("Also write the history and test results as JSON to this file (- for standard output; progress then goes to standard error).", valueName: "file"))
    var json: String?

    @Option(help: ArgumentHelp("Save the trained weights as safetensors (Keras names and layouts, architecture in the metadata; - for standard output).", valueName: "file"))
    var save: String?

    @OptionGroup var machine: MachineOptions

    func validate() throws {
        if let epochs, !Hyperparameters.epochRange.contains(epochs) {
            throw ValidationError("--epochs must lie in \(Hyperparameters.epochRange.lowerBound)…\(Hyperparameters.epochRange.upperBound), got \(epochs)")
        }
        guard Hyperparameters.batchSizeRange.contains(batchSize) else {
            throw ValidationError("--batch-size must lie in \(Hyperparameters.batchSizeRange.lowerBound)…\(Hyperparameters.batchSizeRange.upperBound), got \(batchSize)")
        }
        if let learningRate, !Hyperparameters.learningRateRange.contains(Double(learningRate)) {
            throw ValidationError("--learning-rate must lie in \(Hyperparameters.learningRateRange.lowerBound)…\(Hyperparameters.learningRateRange.upperBound), got \(learningRate)")
        }
        try checkDistinctOutputs([("--save", save), ("--json", json)])
        for (flag, value) in [("--steps-per-epoch", stepsPerEpoch), ("--validation-steps", validationSteps)] {
            if let value, !(1...100_000).contains(value) { throw ValidationError("\(flag) must lie in 1…100000, got \(value)") }
        }
        if let l2 {
            guard model.defaults.l2 != nil else { throw ValidationError("--l2 does not apply to \(model.rawValue): it has no regularised layer") }
            guard Hyperparameters.l2Range.contains(Double(l2)) else {
                throw ValidationError("--l2 must lie in \(Hyperparameters.l2Range.lowerBound)…\(Hyperparameters.l2Range.upperBound), got \(l2)")
            }
        }
    }

    /// Messages move to standard error when a file is written to standard output.
    var console: Console { Console(keepingStandardOutputFor: save, json) }

    func run() throws { try withComputeThreads(machine.threads) { try execute() } }

    func execute() throws {
        for output in [save, json].compactMap({ $0 }) { try OutputFile.checkWritable(output) }
        let dataset = try machine.prepare()
        let data = PreparedData(dataset)
        var hyper = model.defaults
        hyper.epochs = epochs ?? hyper.epochs
        hyper.batchSize = batchSize
        hyper.learningRate = learningRate ?? hyper.learningRate
        if let l2 { hyper.l2 = l2 }
        let spec = TrainingSpec(model: model, hyperparameters: hyper, seed: seed)

        var generator = SeededGenerator(seed: seed)
        say(try spec.makeModel(using: &generator).summary())
        say("Training \(model.rawValue) (section \(model.section)) on \(data.trainX.batchSize) images, "
              + "validating on \(data.testX.batchSize); \(hyper.epochs) epochs, batch \(hyper.batchSize), "
              + "learning rate \(hyper.learningRate)\(hyper.l2.map { ", L2 \($0)" } ?? ""), seed \(seed), \(computeThreads) threads")
        let progress = ProgressPrinter(console: console)
        if let stepsPerEpoch {
            say("Each epoch trains on its first \(min(stepsPerEpoch * hyper.batchSize, data.trainX.batchSize)) images only (--steps-per-epoch \(stepsPerEpoch))")
        }
        if let validationSteps {
            say("Validation and test use the first \(min(validationSteps * hyper.batchSize, data.testX.batchSize)) test images only (--validation-steps \(validationSteps))")
        }
        let (result, trained) = try Trainer(spec: spec).run(on: data, callbacks: progress.callbacks,
                                                            stepsPerEpoch: stepsPerEpoch, validationSteps: validationSteps)
        say("Test loss: \(format(result.testLoss, 4)) - test accuracy: \(format(result.testAccuracy, 4))")
        if let save {
            let bytes = try SafeTensors.encode(trained, metadata: ["model": model.rawValue, "seed": String(seed),
                                                                    "test_accuracy": format(result.testAccuracy, 4)])
            try OutputFile.write(Data(bytes), to: save)
            say("Saved the weights to \(save)")
        }
        if let json {
            try OutputFile.write(try JSONEncoder.pretty.encode(result), to: json)
            say("Wrote \(json)")
        }
    }
}

extension ModelKind: ExpressibleByArgument {}
