import ArgumentParser
import Assignment
import Training
import Foundation
import NeuralEngine
import OpenBLASReference
import Results
import Pipeline
import Rendering

struct Bench: ParsableCommand, ConsoleCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measures the machine's sgemm ceiling and the engine's seconds per epoch.",
        discussion: """
            In one run: the GFLOP/s of a large square sgemm (the ceiling), then a few epochs of \
            each model (training on 60,000 images plus validation on 10,000). Prints the median \
            seconds per epoch, samples per second, and the GFLOP/s of the model's matrix products \
            (forward and backward) as a fraction of the ceiling. With --layers, each layer's \
            seconds forward and backward per epoch, and its share: GFLOP/s against the ceiling \
            for the layers with products, and for the others the GB/s of the least traffic they \
            need (input and output, gradients, one saved tensor) against the machine's memory \
            bandwidth, measured in the same run. With --conv, instead of the \
            models: the 3 × 3 convolutions of a stronger CNN and those of the CNN 16-32 (section \
            3.1b), each layer's seconds forward and backward per training step and its GFLOP/s \
            (of the direct definition's products) as a fraction of the ceiling.
            """)

    @Option(help: "Epochs timed per model; the median is reported.")
    var epochs: Int = 3

    @Option(help: "Side of the square product that measures the ceiling.")
    var size: Int = 2048

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Models to time (default: all).", valueName: "model"))
    var models: [ModelKind] = ModelKind.allCases

    @Flag(help: "Also print, per model, each layer's forward and backward seconds per epoch, its GFLOP/s or GB/s, and the memory ceiling.")
    var layers = false

    @Flag(help: "Time the 3 × 3 convolutions of a stronger CNN (32 and 64 channels) and of the CNN 16-32, batch 128, against the ceiling instead of the models.")
    var conv = false

    @Option(help: ArgumentHelp("With --conv: force this convolution algorithm where it applies (default: the engine's choice).",
                               valueName: "algorithm"))
    var algorithm: ConvolutionAlgorithmKind?

    @OptionGroup var machine: MachineOptions

    func validate() throws {
        try Bounds.check("--epochs", epochs, within: 1...100)
        // Three size × size matrices of floats: 8192 takes 805 MB, four times that would not fit everywhere.
        try Bounds.check("--size", size, within: 64...8192, because: "three such matrices of floats must fit in memory")
    }

    func run() throws { try withComputeThreads(machine.threads) { try execute() } }

    func execute() throws {
        say("Machine: \(MachineFacts.cpuModel), \(ProcessInfo.processInfo.activeProcessorCount) cores, "
            + "\(computeThreads) threads for products, the engine's \(ComputeKernels.level.rawValue) kernels")
        let threads = computeThreads
        let ceiling = Benchmarks.sgemmGFLOPS(size: size) { n, a, b, c in
            OpenBLAS.squareProduct(n: n, threads: threads, a: a, b: b, c: c)
        }
        say("sgemm \(size)×\(size)×\(size): \(format(ceiling, 1)) GFLOP/s (median of 5), "
            + "OpenBLAS's \(OpenBLAS.coreName) kernels — the ceiling")
        let own = Benchmarks.sgemmGFLOPS(size: size)
        say("the engine's product, same size: \(format(own, 1)) GFLOP/s (median of 5), "
            + "\(format(100 * own / ceiling, 0)) % of the ceiling, \(ComputeKernels.level.rawValue) kernels")
        let memory = layers ? Benchmarks.memoryGBPS() : 0
        if layers {
            say("memory: \(format(memory, 1)) GB/s (median of 5 passes of y ← y · s + x · a over 2 × 256 MB) — "
                + "the ceiling of the layers between the products")
        }
        say("")
        if conv { return try timeConvolutions(ceiling: ceiling) }
        let dataset = try machine.prepare()
        let data = PreparedData(dataset)
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
        for (kind, model, timings) in breakdowns {
            printBreakdown(kind, model: model, timings: timings, ceiling: ceiling, memory: memory,
                           items: (data.trainX.batchSize, data.testX.batchSize))
        }
    }

    /// Each 3 × 3 layer's seconds per training step (median of 7), forward and backward, and its
    /// GFLOP/s against the ceiling measured in the same run.
    private func timeConvolutions(ceiling: Double) throws {
        let batch = 128
        say("3 × 3 convolutions with ReLU, 'same' padding, batch \(batch); a step is forward + backward")
        say("(backward: kernel and bias gradients, and the input gradient except for the first layer)")
        for (title, stack) in [("A stronger CNN (32 and 64 filters):", Benchmarks.strongCNNConvolutions),
                               ("The CNN 16-32 of section 3.1b, after its first layer:", Benchmarks.cnn16Convolutions)] {
            say("")
            say(title)
            try timeConvolutions(stack, ceiling: ceiling, batch: batch)
        }
    }

    private func timeConvolutions(_ stack: [Benchmarks.ConvolutionCase], ceiling: Double, batch: Int) throws {
        say("input        output       algorithm          GFLOP/step  forward  backward  GFLOP/s  of ceiling")
        for layer in stack {
            let usable = algorithm.map { $0.applies(to: layer) } ?? true
            let t = try Benchmarks.convolution(layer, batch: batch, algorithm: usable ? algorithm : nil)
            let shape = { (s: [Int]) in s.map(String.init).joined(separator: "×") }
            say(shape(layer.input).padding(toLength: 12, withPad: " ", startingAt: 0)
                  + " " + shape(t.outputShape).padding(toLength: 12, withPad: " ", startingAt: 0)
                  + " " + t.algorithm.padding(toLength: 17, withPad: " ", startingAt: 0)
                  + " " + format((t.forwardFLOPs + t.backwardFLOPs) / 1e9, 2).leftPadded(to: 11)
                  + " " + format(t.forwardSeconds, 4).leftPadded(to: 8)
                  + " " + format(t.backwardSeconds, 4).leftPadded(to: 9)
                  + " " + format(t.gflopsPerSecond, 1).leftPadded(to: 8)
                  + " " + (format(100 * t.gflopsPerSecond / ceiling, 0) + " %").leftPadded(to: 11))
        }
    }

    /// Each layer's mean seconds per epoch, forward (training and validation) and backward; for
    /// the layers with matrix products (Dense, Conv2D) their GFLOP/s against the sgemm ceiling,
    /// for the others the GB/s of the least traffic they need (`Benchmarks.epochBytes`) against
    /// the memory ceiling.
    private func printBreakdown(_ kind: ModelKind, model: Sequential, timings: LayerTimings, ceiling: Double, memory: Double,
                                items: (train: Int, test: Int)) {
        let perEpoch = { (nanoseconds: UInt64) in Double(nanoseconds) / 1e9 / Double(epochs) }
        let total = perEpoch(timings.forward.reduce(0, +) + timings.backward.reduce(0, +))
        say("")
        say("\(kind.rawValue), seconds per epoch by layer (mean of \(epochs)):")
        say("layer                forward  backward    share   GFLOP/s  of ceiling  algorithm")
        say("                                                    or GB/s")
        for (index, layer) in model.layers.enumerated() {
            let (forward, backward) = (perEpoch(timings.forward[index]), perEpoch(timings.backward[index]))
            var line = layer.name.padding(toLength: 20, withPad: " ", startingAt: 0)
                + format(forward, 3).leftPadded(to: 8) + format(backward, 3).leftPadded(to: 10)
                + (format(100 * (forward + backward) / max(total, 1e-9), 1) + " %").leftPadded(to: 9)
            let flops = Benchmarks.epochFLOPs(model: model, layer: index, trainItems: items.train, testItems: items.test)
            if flops > 0, forward + backward > 0 {
                let rate = flops / (forward + backward) / 1e9
                line += format(rate, 1).leftPadded(to: 10) + (format(100 * rate / ceiling, 0) + " %").leftPadded(to: 12)
                if let algorithm = (layer as? Conv2D)?.algorithm { line += "  " + algorithm.rawValue }
            } else if forward + backward > 0.005 {  // a reshape (Flatten) moves nothing
                let bytes = Benchmarks.epochBytes(model: model, layer: index, trainItems: items.train, testItems: items.test)
                let rate = bytes / (forward + backward) / 1e9
                line += format(rate, 1).leftPadded(to: 10) + (format(100 * rate / memory, 0) + " %").leftPadded(to: 12) + "  memory"
            }
            say(line)
        }
        say("all layers".padding(toLength: 20, withPad: " ", startingAt: 0) + format(total, 3).leftPadded(to: 18)
              + "  (the rest of an epoch: batching, loss, optimiser)")
    }
}



extension ConvolutionAlgorithmKind: ExpressibleByArgument {
    /// Whether this algorithm can take the layer's shape (a forced one that cannot is left to the engine).
    func applies(to layer: Benchmarks.ConvolutionCase) -> Bool {
        self != .singleChannelRows || layer.input[2] == 1
    }
}
