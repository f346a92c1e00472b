import Analysis
import Assignment
import Foundation
import MNIST
import NeuralEngine

/// The sections' results and the claims drawn from them.
extension ReportViewModel {
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
}
