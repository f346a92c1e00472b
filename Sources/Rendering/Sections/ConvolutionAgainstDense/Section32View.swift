import Analysis
import Results
import Assignment
import Architecture

/// Section 3.2: convolutional against dense layers, with counts from the project's own models
/// and, when the run has both, the two networks' results and what else sets them apart.
struct Section32View {
    var receptiveField: String
    var notebookConvAccuracy: String
    var notebookDenseAccuracy: String
    var largeSide: String
    var largeChannels: String
    var largeDenseParams: String
    var largeConvParams: String
    var positions: String
    var paddedInputs: String
    var convOutputs: String
    /// The parameters of a dense layer computing the first convolution's outputs, and how many
    /// times the convolution's they are.
    var denseEquivalent: String
    var equivalentRatio: String
    /// That dense layer's multiply-adds per image, and how many times the convolution's.
    var denseEquivalentMacs: String
    var macRatio: String
    var lenetParams: String
    var mlp500Params: String
    var mlp64Params: String
    var convParams: String
    var denseParams: String
    var convShare: String
    var firstConvParams: String
    var firstDenseParams: String
    var ratio: String
    var firstConvMacs: String
    /// What besides its layers sets LeNet-5's training apart from the dense network's.
    var confounders: String
    var confounderCount: String
    var both: Both?

    struct Both {
        /// McNemar's test on the two networks' test predictions decides which generalises better.
        var verdict: Generalisation
        /// The test images only LeNet-5 gets right, only the dense network, and McNemar's p.
        var onlyConv: String
        var onlyDense: String
        var mcNemarP: String
        var convAccuracy: String
        var denseAccuracy: String
        var convErrors: String
        var denseErrors: String
        var convEpochs: String
        var denseEpochs: String
        var convTrain: String
        var denseTrain: String
        var denseTrainingErrors: String
        var trainCount: String
        var denseGap: String
        var convGap: String
        /// The dense network fits its training images all but a few (FitDiagnosis.memorisedAccuracy).
        var denseMemorises: Bool
    }

    /// Which network classifies more of the same test images right, by McNemar's test at 0.05.
    enum Generalisation: String, TemplateChoice {
        case convolutionBetter, denseBetter, noDifference
    }

    init?(_ input: SectionInput) {
        let results = input.results
        func described(_ kind: ModelKind) -> ModelDescription? { Section31bView.described(ReportViewModel.layers(kind, in: results)) }
        func isConvolution(_ layer: ModelDescription.Layer) -> Bool { if case .conv2D = layer.configuration { true } else { false } }
        func isDense(_ layer: ModelDescription.Layer) -> Bool { if case .dense = layer.configuration { true } else { false } }
        guard let lenet = described(.lenet5), let wide = described(.mlp500), let small = described(.mlp64),
              let firstConv = lenet.layers.first(where: isConvolution), let firstDense = wide.layers.first(where: isDense),
              case let .conv2D(filters, kernel, _, _, _, _) = firstConv.configuration,
              case let .dense(units, _, _) = firstDense.configuration,
              let padding = lenet.layers.first(where: { if case .zeroPadding2D = $0.configuration { true } else { false } })
        else { return nil }
        let convParams = lenet.layers.filter(isConvolution).reduce(0) { $0 + $1.parameters }
        let denseParams = lenet.layers.filter(isDense).reduce(0) { $0 + $1.parameters }
        // A dense layer doing the first convolution's job: every input value of the padded
        // image connected to every value of its output, plus biases.
        let padded = padding.outputShape.reduce(1, *)
        let convOut = firstConv.outputShape.reduce(1, *)
        let equivalent = padded * convOut + convOut
        // The same two first layers on a larger colour image: a dense layer's weights grow with
        // the pixels, a convolution's do not.
        let side = 224, channels = 3
        receptiveField = "\(lenet.receptiveField) × \(lenet.receptiveField)"
        notebookConvAccuracy = NumberFormat.accuracy(Notebook.lenet5TestAccuracy)
        notebookDenseAccuracy = NumberFormat.accuracy(Notebook.mlp500TestAccuracy)
        largeSide = String(side)
        largeChannels = String(channels)
        largeDenseParams = NumberFormat.count(side * side * channels * units + units)
        largeConvParams = NumberFormat.count(kernel * kernel * channels * filters + filters)
        positions = NumberFormat.count(firstConv.outputShape.prefix(2).reduce(1, *))
        paddedInputs = NumberFormat.count(padded)
        convOutputs = NumberFormat.count(convOut)
        denseEquivalent = NumberFormat.count(equivalent)
        equivalentRatio = NumberFormat.count(Self.roundedRatio(equivalent, firstConv.parameters))
        lenetParams = NumberFormat.count(lenet.parameters)
        mlp500Params = NumberFormat.count(wide.parameters)
        mlp64Params = NumberFormat.count(small.parameters)
        self.convParams = NumberFormat.count(convParams)
        self.denseParams = NumberFormat.count(denseParams)
        convShare = NumberFormat.percent(Double(convParams) / Double(lenet.parameters))
        firstConvParams = NumberFormat.count(firstConv.parameters)
        firstDenseParams = NumberFormat.count(firstDense.parameters)
        ratio = NumberFormat.decimal(Double(wide.parameters) / Double(lenet.parameters), 1)
        firstConvMacs = NumberFormat.count(firstConv.multiplyAccumulates)
        denseEquivalentMacs = NumberFormat.count(padded * convOut)
        macRatio = NumberFormat.count(Self.roundedRatio(padded * convOut, firstConv.multiplyAccumulates))
        let differences = Self.confounders(.lenet5, against: .mlp500)
        confounders = NumberFormat.list(differences)
        confounderCount = NumberFormat.words(differences.count)
        both = nil
        if let conv = results.training(.s3_1), let dense = results.training(.s2_4),
           let pair = RunComparison.disagreements(conv, dense, labels: input.labels) {
            let convTrain = conv.history.accuracy.last ?? 0, denseTrain = dense.history.accuracy.last ?? 0
            let test = Statistics.mcNemar(b: pair.onlyA, c: pair.onlyB)
            let verdict: Generalisation = test.p >= ReferenceComparison.significance ? .noDifference
                : pair.onlyA > pair.onlyB ? .convolutionBetter : .denseBetter
            both = Both(
                verdict: verdict, onlyConv: NumberFormat.count(pair.onlyA), onlyDense: NumberFormat.count(pair.onlyB),
                mcNemarP: NumberFormat.pClause(test.p),
                convAccuracy: NumberFormat.accuracy(conv.testAccuracy), denseAccuracy: NumberFormat.accuracy(dense.testAccuracy),
                convErrors: NumberFormat.count(TrainingView.errors(conv)), denseErrors: NumberFormat.count(TrainingView.errors(dense)),
                convEpochs: String(conv.hyperparameters.epochs), denseEpochs: String(dense.hyperparameters.epochs),
                convTrain: NumberFormat.accuracy(convTrain), denseTrain: NumberFormat.accuracy(denseTrain),
                denseTrainingErrors: NumberFormat.count(Dataset.trainingCount - NumberFormat.items(denseTrain, of: Dataset.trainingCount)),
                trainCount: NumberFormat.count(Dataset.trainingCount),
                denseGap: NumberFormat.signed(denseTrain - (dense.history.valAccuracy.last ?? 0)),
                convGap: NumberFormat.signed(convTrain - (conv.history.valAccuracy.last ?? 0)),
                denseMemorises: denseTrain >= 0.999)
        }
    }

    /// a / b rounded to the nearest whole number (4,821,600 / 156 is 30,908, not 30,907).
    static func roundedRatio(_ a: Int, _ b: Int) -> Int {
        guard b > 0 else { return 0 }
        return Int((Double(a) / Double(b)).rounded())
    }

    /// How the training of `kind` differs from that of `other` besides the layers: optimiser,
    /// dropout, weight decay and length, each as a phrase ("the optimiser (Adam at 0.001 against
    /// plain SGD at 0.1)"); empty when they are trained alike.
    static func confounders(_ kind: ModelKind, against other: ModelKind) -> [String] {
        var out: [String] = []
        let (a, b) = (TrainingSpec(model: kind), TrainingSpec(model: other))
        func optimizer(_ o: OptimizerConfiguration) -> String {
            switch o {
            case let .sgd(lr, _): return "plain SGD at \(String(format: "%g", Double(lr)))"
            case let .adam(lr, _, _, _, _): return "Adam at \(String(format: "%g", Double(lr)))"
            }
        }
        if optimizer(a.optimizer) != optimizer(b.optimizer) {
            out.append("the optimiser (\(optimizer(a.optimizer)) against \(optimizer(b.optimizer)))")
        }
        func dropout(_ layers: [LayerConfiguration]) -> [Float] {
            layers.compactMap { if case let .dropout(rate) = $0 { return rate } else { return nil } }
        }
        let (da, db) = (dropout(a.layers), dropout(b.layers))
        if da != db {
            func text(_ rates: [Float]) -> String {
                rates.isEmpty ? "none" : rates.map { String(format: "%g", Double($0)) }.joined(separator: ", ")
            }
            out.append("dropout (\(text(da)) against \(text(db)))")
        }
        func decay(_ layers: [LayerConfiguration]) -> [Float] {
            layers.compactMap { layer -> Float? in
                switch layer {
                case let .dense(_, _, l2), let .conv2D(_, _, _, _, _, l2): return l2
                default: return nil
                }
            }
        }
        let (la, lb) = (decay(a.layers), decay(b.layers))
        if la != lb {
            func text(_ factors: [Float]) -> String {
                guard let first = factors.first else { return "no weight decay" }
                return "L2 = \(NumberFormat.factor(first))"
            }
            out.append("weight decay (\(text(la)) against \(text(lb)))")
        }
        if a.hyperparameters.epochs != b.hyperparameters.epochs {
            out.append("training length (\(a.hyperparameters.epochs) against \(b.hyperparameters.epochs) epochs)")
        }
        return out
    }
}
