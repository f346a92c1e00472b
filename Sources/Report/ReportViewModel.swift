import Assignment
import Foundation
import MNIST
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
            "data": ["train_count": "60,000", "test_count": "10,000", "pixels": "784", "classes": "10",
                     "image_size": "\(MNISTSplit.rows) × \(MNISTSplit.columns)",
                     // Section 3.1's aim, as the assignment states it.
                     "target_accuracy": accuracy(0.99), "target_percent": "99 %"],
            "s23": section23(results),
            "s24": section24(results),
            "s31": section31(results),
            "s32": section32(results),
            "loss": lossContext(),
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
    /// Seconds, "–" for a value no clock gives (negative, not finite).
    static func seconds(_ x: Double) -> String {
        guard x.isFinite, x >= 0 else { return "–" }
        return x >= 10 ? String(format: "%.0f s", x) : String(format: "%.2f s", x)
    }
    /// A duration in seconds as "42 s" or "16 min 38 s"; "–" for a value no clock gives, and
    /// whole days beyond what a build takes stay in seconds rather than overflow an integer.
    static func duration(_ x: Double) -> String {
        guard x.isFinite, x >= 0 else { return "–" }
        guard x >= 90 else { return String(format: "%.0f s", x) }
        guard x < 1e9 else { return String(format: "%.3g s", x) }
        let whole = Int(x)
        return "\(whole / 60) min \(whole % 60) s"
    }
    /// A count of test images from a fraction of them (`fraction` × `total`, rounded), clamped to
    /// 0…`total` so that no stored number can overflow the conversion.
    static func images(_ fraction: Double, of total: Int) -> Int {
        guard fraction.isFinite else { return 0 }
        return Int((min(max(fraction, 0), 1) * Double(total)).rounded())
    }
    /// An L2 factor as the notebook writes it: 1e-5, 2.5075e-4, 0.01.
    static func factor(_ f: Float) -> String {
        let value = Double(f)
        guard value != 0, abs(value) < 0.01 else { return String(format: "%g", value) }
        let parts = String(format: "%.4e", value).split(separator: "e")
        var mantissa = String(parts[0])
        while mantissa.hasSuffix("0") { mantissa.removeLast() }
        if mantissa.hasSuffix(".") { mantissa.removeLast() }
        return "\(mantissa)e\(Int(parts[1]) ?? 0)"
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
            "epoch_plan": epochPlan(r),
        ]
    }

    /// The epochs of each kind of training in the run beside the notebook's (for the quick-profile warning).
    static func epochPlan(_ r: ResultsDocument) -> [[String: Any]] {
        var seen = Set<String>()
        var rows: [[String: Any]] = []
        for t in r.trainings {
            let label = t.sweepIndex == nil ? t.section : t.section + " sweep"
            guard seen.insert(label).inserted else { continue }
            rows.append(["label": label, "epochs": String(t.hyperparameters.epochs),
                         "notebook_epochs": String(t.model.defaults.epochs),
                         "matches": t.hyperparameters.epochs == t.model.defaults.epochs])
        }
        return rows
    }

    /// Every section in reading order; `present` is false for a section whose training the run left out.
    static func toc(_ r: ResultsDocument) -> [[String: Any]] {
        let has = Set(r.trainings.map(\.section))
        let entries: [(String, String, String, Bool)] = [
            ("s1-1", "1.1", "Loading and preprocessing", true),
            ("s2-1", "2.1", "The dense network", true),
            ("s2-2", "2.2", "The loss", true),
            ("s2-3", "2.3", "Training the small network", has.contains("2.3")),
            ("s2-4", "2.4", "A wider network with weight decay", has.contains("2.4")),
            ("s3-1", "3.1", "A convolutional network", has.contains("3.1")),
            ("s3-2", "3.2", "Convolutional against dense layers", true),
            ("references", "", "References", true),
            ("run", "", "About this run", true),
        ]
        return entries.map { ["anchor": $0.0, "number": $0.1, "title": $0.2, "present": $0.3] }
    }

    /// The loss's constants, from the engine: the clipping margin, the largest loss it allows,
    /// and the loss of a uniform guess over the classes.
    static func lossContext() -> [String: Any] {
        let epsilon = Double(CategoricalCrossentropy.epsilon)
        return [
            "epsilon": String(format: "%.0e", epsilon).replacingOccurrences(of: "e-0", with: "e-"),
            "epsilon_exponent": String(Int(log10(epsilon).rounded())).replacingOccurrences(of: "-", with: "−"),
            "max_loss": String(format: "%.2f", -log(epsilon)),
            "uniform_loss": String(format: "%.3f", log(Double(Preprocessing.classes))),
        ]
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
            var entry: [String: Any] = [
                "code": SwiftSource.model(spec.layers, optimizer: spec.optimizer),
                "summary": model?.summary() ?? "",
                "params": Sequential.grouped(model?.parameterCount ?? 0),
                "notebook_params": Sequential.grouped(notebookParameters(kind)),
                "params_match": model?.parameterCount == notebookParameters(kind),
                "shape": model.map { m in
                    ([m.inputShape.reduce(1, *)] + m.layers.filter { $0.typeName == "Dense" }.map { $0.outputShape.reduce(1, *) })
                        .map(String.init).joined(separator: "-")
                } ?? "",
                "epochs": String(kind.defaults.epochs), "batch": String(kind.defaults.batchSize),
                "learning_rate": String(format: "%g", Double(kind.defaults.learningRate)),
            ]
            if case let .adam(_, beta1, beta2, epsilon) = spec.optimizer {
                entry["beta1"] = String(format: "%g", Double(beta1))
                entry["beta2"] = String(format: "%g", Double(beta2))
                entry["epsilon"] = String(format: "%g", Double(epsilon)).replacingOccurrences(of: "e-0", with: "e-")
            }
            if let model {
                let rows = layerRows(model, configurations: spec.layers)
                entry["layers"] = rows
                entry["dense"] = rows.filter { $0["type"] as? String == "Dense" }
                entry["by_name"] = Dictionary(uniqueKeysWithValues: rows.map { ($0["name"] as! String, $0 as Any) })
            }
            result[kind.rawValue] = entry
        }
        return result
    }

    static func notebookParameters(_ kind: ModelKind) -> Int {
        switch kind {
        case .mlp64: return Notebook.parameters.mlp64
        case .mlp500: return Notebook.parameters.mlp500
        case .lenet5: return Notebook.parameters.lenet5
        }
    }

    /// One row per layer: name, type, output shape ("28 × 28 × 6"), input size, units or
    /// filters, activation, and the parameter count with the product it comes from.
    static func layerRows(_ model: Sequential, configurations: [LayerConfiguration]) -> [[String: Any]] {
        var inputShape = [28, 28, 1]
        var rows: [[String: Any]] = []
        for (layer, configuration) in zip(model.layers, configurations) {
            let inputs = inputShape.reduce(1, *)
            var row: [String: Any] = [
                "name": layer.name, "type": layer.typeName,
                "output": layer.outputShape.map(String.init).joined(separator: " × "),
                "input": inputShape.map(String.init).joined(separator: " × "),
                "inputs": Sequential.grouped(inputs),
                "params": Sequential.grouped(layer.parameterCount),
                "formula": "–", "activation": "–",
            ]
            switch configuration {
            case let .dense(units, activation, l2):
                row["units"] = String(units)
                row["activation"] = activation.rawValue
                row["formula"] = "\(Sequential.grouped(inputs)) × \(units) + \(units)"
                row["l2"] = l2.map(factor) ?? "–"
            case let .conv2D(filters, kernel, _, _, activation, _):
                let channels = inputShape.last ?? 1
                row["units"] = String(filters)
                row["kernel"] = "\(kernel) × \(kernel)"
                row["activation"] = activation.rawValue
                row["formula"] = "\(kernel) × \(kernel) × \(channels) × \(filters) + \(filters)"
            case let .averagePooling2D(pool, strides), let .maxPooling2D(pool, strides):
                row["pool"] = "\(pool) × \(pool)"
                row["strides"] = String(strides)
            case let .zeroPadding2D(padding):
                row["padding"] = String(padding)
            case let .dropout(rate):
                row["rate"] = String(format: "%g", Double(rate))
            case .flatten:
                break
            }
            rows.append(row)
            inputShape = layer.outputShape
        }
        return rows
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
            "best_val": accuracy(bestVal), "best_epoch": String(r.bestEpoch), "best_at_end": r.bestEpoch == n, "val_above_train": finalTrain < finalVal,
            "gap": signed(finalTrain - finalVal),
            "val_loss_min_epoch": String((r.history.valLoss.indices.min { r.history.valLoss[$0] < r.history.valLoss[$1] } ?? 0) + 1),
            "seconds_per_epoch": seconds(r.medianSecondsPerEpoch),
            "total_seconds": duration(r.secondsPerEpoch.reduce(0, +)),
            "from_cache": r.fromCache, "params": Sequential.grouped(r.params), "seed": String(r.seed),
            "weights": String(r.weightsSHA256.prefix(16)),
            "notebook_epochs": String(r.model.defaults.epochs),
            "epochs_match": n == r.model.defaults.epochs,
            "final_loss": accuracy(r.history.loss.last ?? 0), "final_val_loss": accuracy(r.history.valLoss.last ?? 0),
            "test_count": Sequential.grouped(r.testPredictions.count),
            "errors": Sequential.grouped(errors(r)),
        ]
    }

    /// Misclassified test images.
    static func errors(_ r: TrainingRecord) -> Int {
        r.testPredictions.count - images(r.testAccuracy, of: r.testPredictions.count)
    }

    static func section23(_ results: ResultsDocument) -> [String: Any] {
        guard let r = results.training("2.3") else { return ["present": false, "notebook_accuracy": accuracy(Notebook.mlp64TestAccuracy)] }
        var s = history(r)
        s["present"] = true
        s["notebook_accuracy"] = accuracy(Notebook.mlp64TestAccuracy)
        s["diff"] = signed(r.testAccuracy - Notebook.mlp64TestAccuracy)
        s["notebook_first_train"] = accuracy(Notebook.mlp64TrainingAccuracy.first)
        let keras = Notebook.kerasMlp64Seeds
        let (kerasMean, kerasVariance) = Statistics.meanVariance(keras)
        let kerasSD = kerasVariance.squareRoot()
        s["keras_n"] = String(keras.count)
        s["keras_mean"] = accuracy(kerasMean)
        s["keras_sd"] = accuracy(kerasSD)
        s["keras_min"] = accuracy(keras.min()!)
        s["keras_max"] = accuracy(keras.max()!)
        s["keras_diff"] = signed(r.testAccuracy - kerasMean)
        s["notebook_final_train"] = accuracy(Notebook.mlp64TrainingAccuracy.last)
        // Overfitting shows as validation accuracy falling off its peak while training keeps rising.
        let peakDrop = (r.history.valAccuracy.max() ?? 0) - (r.history.valAccuracy.last ?? 0)
        let gap = (r.history.accuracy.last ?? 0) - (r.history.valAccuracy.last ?? 0)
        s["overfits"] = peakDrop > 0.003 && gap > 0.01
        s["val_above_train"] = gap < 0
        s["peak_drop"] = accuracy(peakDrop)
        s["notebook_gap"] = signed(Notebook.mlp64TrainingAccuracy.last - (Notebook.mlp64ValidationAccuracy.last ?? 0))
        s["notebook_first_val"] = accuracy(Notebook.mlp64ValidationAccuracy.first ?? 0)
        let h = r.history
        let rows = min(h.accuracy.count, h.valAccuracy.count, h.loss.count, h.valLoss.count)
        s["epochs_table"] = (0..<rows).map { i -> [String: Any] in
            let notebook = i < Notebook.mlp64ValidationAccuracy.count ? Notebook.mlp64ValidationAccuracy[i] : nil
            return ["epoch": String(i + 1), "train": accuracy(r.history.accuracy[i]), "val": accuracy(r.history.valAccuracy[i]),
                    "loss": accuracy(r.history.loss[i]), "val_loss": accuracy(r.history.valLoss[i]),
                    "notebook_val": notebook.map(accuracy) ?? "–",
                    "diff": notebook.map { signed(r.history.valAccuracy[i] - $0) } ?? "–"]
        }
        return s
    }

    static func section24(_ results: ResultsDocument) -> [String: Any] {
        var s: [String: Any] = ["present": false, "sweep_present": false,
                                "hinton": accuracy(Notebook.hinton500300), "notebook_accuracy": accuracy(Notebook.mlp500TestAccuracy)]
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
            s["hinton_images"] = Sequential.grouped(images(abs(Notebook.hinton500300 - r.testAccuracy), of: r.testPredictions.count))
            s["notebook_hinton_gap"] = signed(Notebook.mlp500TestAccuracy - Notebook.hinton500300)
            // The binomial standard error of an accuracy measured on the test images.
            let n = Double(max(1, r.testPredictions.count))
            s["standard_error"] = accuracy((r.testAccuracy * (1 - r.testAccuracy) / n).squareRoot())
        }
        let sweep = results.sweepTrainings
        if !sweep.isEmpty {
            s["sweep_present"] = true
            var rows: [[String: Any]] = []
            var means: [(Float, Double)] = []
            var deviations: [Double] = []
            for index in Set(sweep.compactMap(\.sweepIndex)).sorted() {
                let values = sweep.filter { $0.sweepIndex == index }.map(\.finalValidationAccuracy)
                let (mean, variance) = Statistics.meanVariance(values)
                let sd = variance.squareRoot()
                let f = Notebook.sweepFactors[index]
                means.append((f, mean))
                deviations.append(sd)
                rows.append([
                    "factor": factor(f), "mean": accuracy5(mean), "sd": accuracy5(sd), "n": String(values.count),
                    "replicates": values.map(accuracy).joined(separator: ", "),
                    "notebook_mean": accuracy5(Notebook.sweepMeans[index]), "notebook_sd": accuracy5(Notebook.sweepStandardDeviations[index]),
                    "diff": signed(mean - Notebook.sweepMeans[index], 5),
                ])
            }
            s["sweep_factors"] = String(rows.count)
            s["sweep_first"] = factor(Notebook.sweepFactors.first ?? 0)
            s["sweep_last"] = factor(Notebook.sweepFactors.last ?? 0)
            s["sweep_replicates"] = String(Set(sweep.compactMap(\.replicate)).count)
            s["sweep_trainings"] = String(sweep.count)
            s["sweep_epochs"] = String(sweep[0].hyperparameters.epochs)
            let best = means.max { $0.1 < $1.1 }!, worst = means.min { $0.1 < $1.1 }!
            s["best_factor"] = factor(best.0)
            s["best_mean"] = accuracy5(best.1)
            s["worst_factor"] = factor(worst.0)
            s["worst_mean"] = accuracy5(worst.1)
            s["sweep_range"] = accuracy5(best.1 - worst.1)
            let maxSD = deviations.max() ?? 0
            s["max_sd"] = accuracy5(maxSD)
            // The means differ by no more than about two replicate standard deviations: the sweep cannot rank the factors.
            s["sweep_flat"] = best.1 - worst.1 <= 2 * maxSD
            for i in rows.indices { rows[i]["best"] = factor(means[i].0) == factor(best.0) }
            s["sweep"] = rows
            s["sweep_notebook_epochs"] = String(ModelKind.mlp500.defaults.epochs)
            s["sweep_epochs_match"] = sweep[0].hyperparameters.epochs == ModelKind.mlp500.defaults.epochs
            let notebookBest = Notebook.sweepMeans.indices.max { Notebook.sweepMeans[$0] < Notebook.sweepMeans[$1] }!
            let notebookWorst = Notebook.sweepMeans.indices.min { Notebook.sweepMeans[$0] < Notebook.sweepMeans[$1] }!
            s["notebook_best_factor"] = factor(Notebook.sweepFactors[notebookBest])
            s["notebook_best_mean"] = accuracy5(Notebook.sweepMeans[notebookBest])
            s["notebook_range"] = accuracy5(Notebook.sweepMeans[notebookBest] - Notebook.sweepMeans[notebookWorst])
            s["notebook_max_sd"] = accuracy5(Notebook.sweepStandardDeviations.max() ?? 0)
        }
        return s
    }

    static func section31(_ results: ResultsDocument) -> [String: Any] {
        guard let r = results.training("3.1") else {
            return ["present": false, "published": accuracy(Notebook.lenet5Published), "notebook_accuracy": accuracy(Notebook.lenet5TestAccuracy)]
        }
        var s = history(r)
        s["present"] = true
        s["notebook_accuracy"] = accuracy(Notebook.lenet5TestAccuracy)
        s["diff"] = signed(r.testAccuracy - Notebook.lenet5TestAccuracy)
        s["published"] = accuracy(Notebook.lenet5Published)
        s["reaches_99"] = r.testAccuracy >= 0.99
        s["target"] = accuracy(0.99)
        s["published_gap"] = signed(r.testAccuracy - Notebook.lenet5Published)
        s["beats_published"] = r.testAccuracy >= Notebook.lenet5Published
        s["errors_shown"] = String(min(30, errors(r)))
        return s
    }

    static func section32(_ results: ResultsDocument) -> [String: Any] {
        var generator = SeededGenerator(seed: 0)
        func built(_ kind: ModelKind) -> Sequential? { try? TrainingSpec(model: kind).makeModel(using: &generator) }
        guard let lenet = built(.lenet5), let wide = built(.mlp500), let small = built(.mlp64) else { return [:] }
        let convParams = lenet.layers.filter { $0.typeName == "Conv2D" }.reduce(0) { $0 + $1.parameterCount }
        let denseParams = lenet.layers.filter { $0.typeName == "Dense" }.reduce(0) { $0 + $1.parameterCount }
        let firstConv = lenet.layers.first { $0.typeName == "Conv2D" }!
        let firstDense = wide.layers.first { $0.typeName == "Dense" }!
        // A dense layer doing the first convolution's job: every input value of the padded
        // 32 × 32 × 1 image connected to every value of its 28 × 28 × 6 output, plus biases.
        let padded = lenet.layers.first { $0.typeName == "ZeroPadding2D" }!.outputShape.reduce(1, *)
        let convOut = firstConv.outputShape.reduce(1, *)
        let denseEquivalent = padded * convOut + convOut
        // The same two first layers on a larger colour image: a dense layer's weights grow with the
        // pixels, a convolution's do not.
        let side = 224, channels = 3
        let largeDense = side * side * channels * 500 + 500
        let largeConv = 5 * 5 * channels * 6 + 6
        // The receptive field of the last pooling layer's units, in input pixels.
        var field = 1, jump = 1
        for configuration in ModelKind.lenet5.layers(l2: nil) {
            switch configuration {
            case let .conv2D(_, kernel, strides, _, _, _): field += (kernel - 1) * jump; jump *= strides
            case let .averagePooling2D(pool, strides), let .maxPooling2D(pool, strides): field += (pool - 1) * jump; jump *= strides
            default: break
            }
        }
        var s: [String: Any] = [
            "receptive_field": "\(field) × \(field)",
            "notebook_conv_accuracy": accuracy(Notebook.lenet5TestAccuracy),
            "notebook_dense_accuracy": accuracy(Notebook.mlp500TestAccuracy),
            "large_side": String(side), "large_channels": String(channels),
            "large_dense_params": Sequential.grouped(largeDense), "large_conv_params": Sequential.grouped(largeConv),
            "positions": Sequential.grouped(firstConv.outputShape.prefix(2).reduce(1, *)),
            "padded_inputs": Sequential.grouped(padded), "conv_outputs": Sequential.grouped(convOut),
            "equivalent_ratio": Sequential.grouped(denseEquivalent / firstConv.parameterCount),
        ]
        if let conv = results.training("3.1"), let dense = results.training("2.4") {
            s["both_present"] = true
            s["conv_better"] = conv.testAccuracy > dense.testAccuracy
            s["conv_accuracy"] = accuracy(conv.testAccuracy)
            s["dense_accuracy"] = accuracy(dense.testAccuracy)
            s["conv_errors"] = Sequential.grouped(errors(conv))
            s["dense_errors"] = Sequential.grouped(errors(dense))
            s["conv_epochs"] = String(conv.hyperparameters.epochs)
            s["dense_epochs"] = String(dense.hyperparameters.epochs)
        } else {
            s["both_present"] = false
        }
        return s.merging([
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
        ]) { $1 }
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
