import Assignment
import Foundation
import NeuralEngine

/// The values the templates show, every one a preformatted string (or a flag, or a list of
/// such), computed from a run's results: no number is formatted in a template and none is
/// typed into the prose.
public enum ReportViewModel {
    /// The whole context of `index.mustache`. `figures` maps each figure id to its inline SVG.
    public static func make(_ results: ResultsDocument, figures: [ReportFigure], svgs: [String: String],
                            extra: [String: Any] = [:]) -> [String: Any] {
        var context: [String: Any] = [
            "title": "MNIST with Keras, reproduced in Swift",
            "run": run(results),
            "toc": toc(results),
            "figures": figureContext(figures, svgs: svgs),
            "models": models(),
            "data": ["train_count": "60,000", "test_count": "10,000", "pixels": "784", "classes": "10"],
            "s23": section23(results),
            "s24": section24(results),
            "s31": section31(results),
            "s32": section32(),
            "trainings": results.trainings.map { trainingRow($0) },
        ]
        for (key, value) in extra { context[key] = value }
        return context
    }

    // MARK: formatting

    static func accuracy(_ x: Double) -> String { String(format: "%.4f", x) }
    static func accuracy5(_ x: Double) -> String { String(format: "%.5f", x) }
    static func percent(_ x: Double) -> String { String(format: "%.2f %%", 100 * x) }
    static func signed(_ x: Double, _ digits: Int = 4) -> String {
        let text = String(format: "%+.\(digits)f", x)
        return text == String(format: "%+.\(digits)f", 0.0) || text == "-" + String(format: "%.\(digits)f", 0.0) ? "±" + String(format: "%.\(digits)f", 0.0) : text.replacingOccurrences(of: "-", with: "−")
    }
    static func seconds(_ x: Double) -> String { x >= 10 ? String(format: "%.0f s", x) : String(format: "%.2f s", x) }
    static func duration(_ x: Double) -> String {
        x < 90 ? String(format: "%.0f s", x) : "\(Int(x) / 60) min \(Int(x) % 60) s"
    }
    static func factor(_ f: Float) -> String {
        let text = String(format: "%.4g", Double(f))
        return text.replacingOccurrences(of: "e-0", with: "e-")
    }

    // MARK: parts

    static func run(_ r: ResultsDocument) -> [String: Any] {
        let run = r.run
        let cached = r.trainings.filter(\.fromCache).count
        return [
            "profile": run.profile.rawValue,
            "is_quick": run.profile == .quick,
            "commit": run.gitCommit.map { String($0.prefix(12)) } ?? "not a git checkout",
            "dirty": run.gitDirty == true,
            "toolchain": run.toolchain, "cpu": run.cpu, "cores": String(run.cores),
            "threads": String(run.threads), "jobs": String(run.jobs),
            "total_time": duration(run.totalSeconds), "created": run.created, "seed": String(run.seed),
            "overrides": run.overrides.isEmpty ? "none" : run.overrides.joined(separator: ", "),
            "has_overrides": !run.overrides.isEmpty,
            "engine_version": run.engineVersion, "dataset": String(run.datasetChecksum.prefix(16)),
            "trainings": String(r.trainings.count), "cached": String(cached), "trained": String(r.trainings.count - cached),
        ]
    }

    static func toc(_ r: ResultsDocument) -> [[String: Any]] {
        let has = Set(r.trainings.map(\.section))
        var entries: [(String, String, String)] = [("s1-1", "1.1", "Loading and preprocessing")]
        entries += [("s2-1", "2.1", "The dense network"), ("s2-2", "2.2", "The loss")]
        if has.contains("2.3") { entries.append(("s2-3", "2.3", "Training the small network")) }
        if has.contains("2.4") { entries.append(("s2-4", "2.4", "A wider network with weight decay")) }
        if has.contains("3.1") { entries.append(("s3-1", "3.1", "A convolutional network")) }
        entries.append(("s3-2", "3.2", "Convolutional against dense layers"))
        entries.append(("run", "", "About this run"))
        return entries.map { ["anchor": $0.0, "number": $0.1, "title": $0.2] }
    }

    static func figureContext(_ figures: [ReportFigure], svgs: [String: String]) -> [String: Any] {
        var result: [String: Any] = [:]
        for f in figures {
            let key = f.id.replacingOccurrences(of: "-", with: "_")
            result[key] = ["number": String(f.number), "caption": f.caption, "svg": svgs[f.id] ?? "",
                           "png": "\(f.id).png", "svg_file": "\(f.id).svg", "anchor": f.id]
        }
        return result
    }

    static func models() -> [String: Any] {
        var result: [String: Any] = [:]
        for kind in ModelKind.allCases {
            let spec = TrainingSpec(model: kind)
            var generator = SeededGenerator(seed: 0)
            let model = try? spec.makeModel(using: &generator)
            result[kind.rawValue] = [
                "code": SwiftSource.model(spec.layers, optimizer: spec.optimizer),
                "summary": model?.summary() ?? "",
                "params": Sequential.grouped(model?.parameterCount ?? 0),
            ]
        }
        return result
    }

    static func history(_ r: TrainingRecord) -> [String: Any] {
        let n = r.history.accuracy.count
        let finalTrain = r.history.accuracy.last ?? 0, finalVal = r.history.valAccuracy.last ?? 0
        let bestVal = r.history.valAccuracy.max() ?? 0
        return [
            "epochs": String(n), "batch": String(r.hyperparameters.batchSize),
            "learning_rate": String(format: "%g", Double(r.hyperparameters.learningRate)),
            "test_accuracy": accuracy(r.testAccuracy), "test_percent": percent(r.testAccuracy),
            "test_loss": accuracy(r.testLoss),
            "first_train": accuracy(r.history.accuracy.first ?? 0), "final_train": accuracy(finalTrain),
            "first_val": accuracy(r.history.valAccuracy.first ?? 0), "final_val": accuracy(finalVal),
            "best_val": accuracy(bestVal), "best_epoch": String(r.bestEpoch),
            "gap": signed(finalTrain - finalVal),
            "val_loss_min_epoch": String((r.history.valLoss.indices.min { r.history.valLoss[$0] < r.history.valLoss[$1] } ?? 0) + 1),
            "seconds_per_epoch": seconds(r.medianSecondsPerEpoch),
            "total_seconds": duration(r.secondsPerEpoch.reduce(0, +)),
            "from_cache": r.fromCache, "params": Sequential.grouped(r.params), "seed": String(r.seed),
            "weights": String(r.weightsSHA256.prefix(16)),
        ]
    }

    static func section23(_ results: ResultsDocument) -> [String: Any] {
        guard let r = results.training("2.3") else { return ["present": false] }
        var s = history(r)
        s["present"] = true
        s["notebook_accuracy"] = accuracy(Notebook.mlp64TestAccuracy)
        s["diff"] = signed(r.testAccuracy - Notebook.mlp64TestAccuracy)
        s["notebook_first_train"] = accuracy(Notebook.mlp64TrainingAccuracy.first)
        s["notebook_final_train"] = accuracy(Notebook.mlp64TrainingAccuracy.last)
        // Overfitting shows as validation accuracy falling off its peak while training keeps rising.
        let peakDrop = (r.history.valAccuracy.max() ?? 0) - (r.history.valAccuracy.last ?? 0)
        let gap = (r.history.accuracy.last ?? 0) - (r.history.valAccuracy.last ?? 0)
        s["overfits"] = peakDrop > 0.003 && gap > 0.01
        s["val_above_train"] = gap < 0
        s["peak_drop"] = accuracy(peakDrop)
        return s
    }

    static func section24(_ results: ResultsDocument) -> [String: Any] {
        var s: [String: Any] = ["present": false, "sweep_present": false]
        if let r = results.training("2.4") {
            s = s.merging(history(r)) { $1 }
            s["present"] = true
            s["l2"] = factor(r.hyperparameters.l2 ?? 0)
            s["notebook_accuracy"] = accuracy(Notebook.mlp500TestAccuracy)
            s["diff"] = signed(r.testAccuracy - Notebook.mlp500TestAccuracy)
            s["spread_low"] = accuracy(Notebook.mlp500Spread.low)
            s["spread_high"] = accuracy(Notebook.mlp500Spread.high)
            s["within_spread"] = r.testAccuracy >= Notebook.mlp500Spread.low - 1e-9 && r.testAccuracy <= Notebook.mlp500Spread.high + 1e-9
            s["hinton"] = accuracy(Notebook.hinton500300)
            s["hinton_gap"] = signed(r.testAccuracy - Notebook.hinton500300)
            s["reaches_hinton"] = r.testAccuracy >= Notebook.hinton500300
        }
        let sweep = results.trainings.filter { $0.sweepIndex != nil }
        if !sweep.isEmpty {
            s["sweep_present"] = true
            var rows: [[String: Any]] = []
            var means: [(Float, Double)] = []
            for index in Set(sweep.compactMap(\.sweepIndex)).sorted() {
                let values = sweep.filter { $0.sweepIndex == index }.map { $0.history.valAccuracy.last ?? $0.testAccuracy }
                let mean = values.reduce(0, +) / Double(values.count)
                let sd = values.count > 1 ? (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count - 1)).squareRoot() : 0
                let f = Notebook.sweepFactors[index]
                means.append((f, mean))
                rows.append([
                    "factor": factor(f), "mean": accuracy5(mean), "sd": accuracy5(sd), "n": String(values.count),
                    "replicates": values.map(accuracy).joined(separator: ", "),
                    "notebook_mean": accuracy5(Notebook.sweepMeans[index]), "notebook_sd": accuracy5(Notebook.sweepStandardDeviations[index]),
                    "diff": signed(mean - Notebook.sweepMeans[index], 5),
                ])
            }
            s["sweep"] = rows
            s["sweep_replicates"] = String(Set(sweep.compactMap(\.replicate)).count)
            s["sweep_trainings"] = String(sweep.count)
            s["sweep_epochs"] = String(sweep[0].hyperparameters.epochs)
            let best = means.max { $0.1 < $1.1 }!, worst = means.min { $0.1 < $1.1 }!
            s["best_factor"] = factor(best.0)
            s["best_mean"] = accuracy5(best.1)
            s["worst_factor"] = factor(worst.0)
            s["worst_mean"] = accuracy5(worst.1)
            s["sweep_range"] = accuracy5(best.1 - worst.1)
        }
        return s
    }

    static func section31(_ results: ResultsDocument) -> [String: Any] {
        guard let r = results.training("3.1") else { return ["present": false] }
        var s = history(r)
        s["present"] = true
        s["notebook_accuracy"] = accuracy(Notebook.lenet5TestAccuracy)
        s["diff"] = signed(r.testAccuracy - Notebook.lenet5TestAccuracy)
        s["published"] = accuracy(Notebook.lenet5Published)
        s["reaches_99"] = r.testAccuracy >= 0.99
        s["errors"] = String(r.testPredictions.count - Int((r.testAccuracy * Double(r.testPredictions.count)).rounded()))
        return s
    }

    static func section32() -> [String: Any] {
        var generator = SeededGenerator(seed: 0)
        func built(_ kind: ModelKind) -> Sequential? { try? TrainingSpec(model: kind).makeModel(using: &generator) }
        guard let lenet = built(.lenet5), let wide = built(.mlp500), let small = built(.mlp64) else { return [:] }
        let convParams = lenet.layers.filter { $0.typeName == "Conv2D" }.reduce(0) { $0 + $1.parameterCount }
        let denseParams = lenet.layers.filter { $0.typeName == "Dense" }.reduce(0) { $0 + $1.parameterCount }
        let firstConv = lenet.layers.first { $0.typeName == "Conv2D" }!
        let firstDense = wide.layers.first { $0.typeName == "Dense" }!
        // A dense layer from a 28 × 28 × 6 map (the first convolution's output) to 6 units of the same size.
        let denseEquivalent = (28 * 28 * 6) * (28 * 28 * 6)
        return [
            "lenet_params": Sequential.grouped(lenet.parameterCount),
            "mlp500_params": Sequential.grouped(wide.parameterCount),
            "mlp64_params": Sequential.grouped(small.parameterCount),
            "conv_params": Sequential.grouped(convParams),
            "dense_params": Sequential.grouped(denseParams),
            "conv_share": percent(Double(convParams) / Double(lenet.parameterCount)),
            "first_conv_params": Sequential.grouped(firstConv.parameterCount),
            "first_dense_params": Sequential.grouped(firstDense.parameterCount),
            "ratio": String(format: "%.1f", Double(wide.parameterCount) / Double(lenet.parameterCount)),
            "dense_equivalent": Sequential.grouped(denseEquivalent),
            "first_conv_macs": Sequential.grouped(firstConv.multiplyAccumulatesPerItem),
        ]
    }

    static func trainingRow(_ r: TrainingRecord) -> [String: Any] {
        [
            "id": r.id, "model": r.model.rawValue, "epochs": String(r.hyperparameters.epochs),
            "l2": r.hyperparameters.l2.map(factor) ?? "–", "seed": String(r.seed),
            "test_accuracy": accuracy(r.testAccuracy), "seconds_per_epoch": seconds(r.medianSecondsPerEpoch),
            "source": r.fromCache ? "cache" : "trained", "weights": String(r.weightsSHA256.prefix(12)),
        ]
    }
}

/// The Swift that builds a model, written from its configuration, for the report's code blocks.
public enum SwiftSource {
    public static func model(_ layers: [LayerConfiguration], optimizer: OptimizerConfiguration) -> String {
        func l2(_ f: Float?) -> String { f.map { ", kernelRegularizer: L2(\(ReportViewModel.factor($0)))" } ?? "" }
        let lines = layers.map { layer -> String in
            switch layer {
            case .flatten: return "Flatten(),"
            case let .dense(units, activation, f): return "Dense(units: \(units), activation: .\(activation.rawValue)\(l2(f))),"
            case let .conv2D(filters, kernel, strides, padding, activation, f):
                return "Conv2D(filters: \(filters), kernelSize: \(kernel)\(strides == 1 ? "" : ", strides: \(strides)")\(padding == .valid ? "" : ", padding: .\(padding.rawValue)"), activation: .\(activation.rawValue)\(l2(f))),"
            case let .zeroPadding2D(p): return "ZeroPadding2D(padding: \(p)),"
            case let .averagePooling2D(p, s): return "AveragePooling2D(poolSize: \(p), strides: \(s)),"
            case let .maxPooling2D(p, s): return "MaxPooling2D(poolSize: \(p), strides: \(s)),"
            case let .dropout(rate): return "Dropout(rate: \(rate)),"
            }
        }
        let optimizerLine: String
        switch optimizer {
        case let .sgd(lr): optimizerLine = "let optimizer = SGD(learningRate: \(lr))"
        case let .adam(lr, _, _, _): optimizerLine = "let optimizer = Adam(learningRate: \(lr))"
        }
        return "let model = Sequential([\n" + lines.map { "    " + $0 }.joined(separator: "\n") + "\n])\n"
            + "try model.build(inputShape: [28, 28, 1], using: &generator)\n" + optimizerLine
    }
}
