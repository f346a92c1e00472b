import ArgumentParser
import Assignment
import Foundation
import NeuralEngine
import Report

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measures the machine's sgemm ceiling and the engine's seconds per epoch.",
        discussion: """
            In one run: the GFLOP/s of a large square sgemm (the ceiling), then a few epochs of \
            each model (training on 60,000 images plus validation on 10,000). Prints the median \
            seconds per epoch, samples per second, and the GFLOP/s of the model's matrix products \
            (forward and backward) as a fraction of the ceiling.
            """)

    @Option(help: "Epochs timed per model; the median is reported.")
    var epochs: Int = 3

    @Option(help: "Side of the square product that measures the ceiling.")
    var size: Int = 2048

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Models to time (default: all).", valueName: "model"))
    var models: [ModelKind] = ModelKind.allCases

    @Flag(help: "Also print, per model, each layer's forward and backward seconds per epoch.")
    var layers = false

    @OptionGroup var machine: MachineOptions

    func validate() throws {
        guard epochs >= 1 else { throw ValidationError("--epochs must be at least 1, got \(epochs)") }
        guard size >= 64 else { throw ValidationError("--size must be at least 64, got \(size)") }
    }

    func run() throws { try withComputeThreads(machine.threads) { try execute() } }

    func execute() throws {
        let dataset = try machine.prepare()
        let data = PreparedData(dataset)
        say("Machine: \(MachineFacts.cpuModel), \(ProcessInfo.processInfo.activeProcessorCount) cores, "
            + "\(computeThreads) threads for products, OpenBLAS \(BLASCore.current) kernels")
        let ceiling = Benchmarks.sgemmGFLOPS(size: size)
        say("sgemm \(size)×\(size)×\(size): \(format(ceiling, 1)) GFLOP/s (median of 5) — the ceiling")
        say("")
        say("model    s/epoch  samples/s  GFLOP/epoch  GFLOP/s  of ceiling")
        var breakdowns: [(ModelKind, Sequential, LayerTimings)] = []
        for kind in models {
            var spec = TrainingSpec(model: kind, seed: 1)
            spec.hyperparameters.epochs = epochs
            let timings = layers ? LayerTimings() : nil
            let (result, model) = try Trainer(spec: spec).run(on: data, timings: timings)
            if let timings { breakdowns.append((kind, model, timings)) }
            let seconds = result.secondsPerEpoch.sorted()[result.secondsPerEpoch.count / 2]
            let flops = Benchmarks.epochFLOPs(model: model, trainItems: data.trainX.batchSize, testItems: data.testX.batchSize)
            let rate = flops / seconds / 1e9
            let samples = Double(data.trainX.batchSize) / seconds
            say(kind.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
                  + " " + format(seconds, 3).leftPadded(to: 7)
                  + " " + String(Int(samples.rounded())).leftPadded(to: 10)
                  + " " + format(flops / 1e9, 1).leftPadded(to: 12)
                  + " " + format(rate, 1).leftPadded(to: 8)
                  + " " + (format(100 * rate / ceiling, 0) + " %").leftPadded(to: 11))
        }
        say("")
        say("Per-epoch times: training on all training images plus validation on the test images.")
        for (kind, model, timings) in breakdowns { printBreakdown(kind, model: model, timings: timings) }
    }

    /// Each layer's mean seconds per epoch, forward (training and validation) and backward.
    private func printBreakdown(_ kind: ModelKind, model: Sequential, timings: LayerTimings) {
        let perEpoch = { (nanoseconds: UInt64) in Double(nanoseconds) / 1e9 / Double(epochs) }
        let total = perEpoch(timings.forward.reduce(0, +) + timings.backward.reduce(0, +))
        say("")
        say("\(kind.rawValue), seconds per epoch by layer (mean of \(epochs)):")
        say("layer                forward  backward    share")
        for (index, layer) in model.layers.enumerated() {
            let (forward, backward) = (perEpoch(timings.forward[index]), perEpoch(timings.backward[index]))
            say(layer.name.padding(toLength: 20, withPad: " ", startingAt: 0)
                  + format(forward, 3).leftPadded(to: 8) + format(backward, 3).leftPadded(to: 10)
                  + (format(100 * (forward + backward) / max(total, 1e-9), 1) + " %").leftPadded(to: 9))
        }
        say("all layers".padding(toLength: 20, withPad: " ", startingAt: 0) + format(total, 3).leftPadded(to: 18)
              + "  (the rest of an epoch: batching, loss, optimiser)")
    }
}

