import Foundation
import Architecture

/// The report's figures, each declared by one chapter and drawn by that chapter's section in the
/// `Rendering` target (a test checks each section draws its chapter's figures and no others).
/// The raw value is the figure's file name and HTML id.
public enum FigureID: String, CaseIterable, Sendable {
    case digits = "fig-1-digits"
    case accuracy23 = "fig-2-3-accuracy"
    case accuracy24 = "fig-2-4-accuracy"
    case loss24 = "fig-2-4-loss"
    case sweep24 = "fig-2-4-sweep"
    case accuracy31 = "fig-3-1-accuracy"
    case confusion31 = "fig-3-1-confusion"
    case errors31 = "fig-3-1-errors"
    case accuracy31b = "fig-3-1b-accuracy"
    case confusion31b = "fig-3-1b-confusion"
    case errors31b = "fig-3-1b-errors"

    /// Test images a figure draws: none, the first of the split, or a section's mistakes.
    public enum TestImages: Equatable, Sendable {
        case none, samples
        case mistakes(of: Section)
    }

    /// The test images this figure draws, which a build records in its results (their pixels,
    /// so that the figure can be drawn again from the results alone).
    public var testImages: TestImages {
        switch self {
        case .digits: .samples
        case .errors31: .mistakes(of: .s3_1)
        case .errors31b: .mistakes(of: .s3_1b)
        case .accuracy23, .accuracy24, .loss24, .sweep24, .accuracy31, .accuracy31b, .confusion31, .confusion31b: .none
        }
    }
}

/// The report's experiments and chapters, each declared once. Everything else is derived from
/// this file: the plan of a build (`ExperimentPlan`), the models the command line knows
/// (`ModelKind`), the sections a build can select (`Section`), the contents of the report,
/// which tables and figures a run shows, the test images a run records, and the model files
/// saved beside the report.
///
/// Adding an experiment to the report takes one `Experiment` here (its model, hyper-parameters
/// per profile, figures, tables and subsections), a `FigureID` for each new figure, and a
/// section in the `Rendering` target (`Sources/Rendering/Sections/`, see `ReportSection`): its
/// view, its figures' drawing and its template.
public enum Catalogue {
    // MARK: the models

    /// Section 2.3: Flatten → Dense(64, relu) → Dense(64, relu) → Dense(10, softmax); SGD 0.1.
    public static let mlp64 = ModelDefinition(
        name: "mlp64", label: "dense 64-64", summary: "the 784-64-64-10 dense network",
        defaults: Hyperparameters(epochs: 10, batchSize: 128, learningRate: 0.1, l2: nil),
        layers: { _ in
            [.flatten,
             .dense(units: 64, activation: .relu, l2: nil),
             .dense(units: 64, activation: .relu, l2: nil),
             .dense(units: 10, activation: .softmax, l2: nil)]
        },
        optimizer: { .sgd(learningRate: $0.learningRate) })

    /// Section 2.4: Flatten → Dense(500, relu, L2) → Dense(300, relu, L2) → Dense(10, softmax); SGD 0.1.
    public static let mlp500 = ModelDefinition(
        name: "mlp500", label: "dense 500-300", summary: "the 784-500-300-10 dense network with weight decay",
        defaults: Hyperparameters(epochs: 40, batchSize: 128, learningRate: 0.1, l2: 1e-5),
        layers: { l2 in
            [.flatten,
             .dense(units: 500, activation: .relu, l2: l2),
             .dense(units: 300, activation: .relu, l2: l2),
             .dense(units: 10, activation: .softmax, l2: nil)]
        },
        optimizer: { .sgd(learningRate: $0.learningRate) })

    /// Section 3.1: the notebook's LeNet-5 variant; Adam 0.001.
    public static let lenet5 = ModelDefinition(
        name: "lenet5", label: "LeNet-5", summary: "the notebook's LeNet-5 variant",
        defaults: Hyperparameters(epochs: 40, batchSize: 128, learningRate: 0.001, l2: 1e-4),
        layers: { l2 in
            [.zeroPadding2D(padding: 2),
             .conv2D(filters: 6, kernelSize: 5, strides: 1, padding: .valid, activation: .relu, l2: nil),
             .averagePooling2D(poolSize: 2, strides: 2),
             .conv2D(filters: 16, kernelSize: 5, strides: 1, padding: .valid, activation: .relu, l2: nil),
             .averagePooling2D(poolSize: 2, strides: 2),
             .flatten,
             .dense(units: 120, activation: .relu, l2: l2),
             .dropout(rate: 0.5),
             .dense(units: 84, activation: .relu, l2: l2),
             .dense(units: 10, activation: .softmax, l2: nil)]
        },
        optimizer: { .adam(learningRate: $0.learningRate, beta1: 0.9, beta2: 0.999, epsilon: 1e-7) })

    /// The convolutional network of "Beyond the notebook" (section 3.1's extension), and its
    /// ablations: 3 × 3 convolutions in two blocks of two (`channels.0` filters at 28 × 28,
    /// `channels.1` at 14 × 14, 'same' padding, ReLU), each convolution followed by batch
    /// normalisation, 2 × 2 max pooling after each block, then Dense(128, relu) with batch
    /// normalisation and dropout 0.3 and the softmax output; in training, each image is first
    /// rotated by up to ±10° and shifted by up to 10 % of its size; Adam 0.001 with cosine decay
    /// to zero over the training. Each switch leaves one of the three out.
    public static func cnn(name: String, label: String, summary: String, channels: (Int, Int), augmentation: Bool = true,
                           batchNormalization: Bool = true, schedule: Bool = true) -> ModelDefinition {
        ModelDefinition(
            name: name, label: label, summary: summary,
            defaults: Hyperparameters(epochs: 20, batchSize: 128, learningRate: 0.001, l2: nil),
            layers: { _ in
                let normalise: [LayerConfiguration] = batchNormalization ? [.batchNormalization(momentum: 0.99, epsilon: 1e-3)] : []
                func convolution(_ filters: Int) -> [LayerConfiguration] {
                    [.conv2D(filters: filters, kernelSize: 3, strides: 1, padding: .same, activation: .relu, l2: nil)] + normalise
                }
                let augment: [LayerConfiguration] = augmentation
                    ? [.randomRotation(factor: 10.0 / 360), .randomTranslation(height: 0.1, width: 0.1)] : []
                return augment
                    + convolution(channels.0) + convolution(channels.0) + [.maxPooling2D(poolSize: 2, strides: 2)]
                    + convolution(channels.1) + convolution(channels.1) + [.maxPooling2D(poolSize: 2, strides: 2)]
                    + [.flatten, .dense(units: 128, activation: .relu, l2: nil)] + normalise
                    + [.dropout(rate: 0.3), .dense(units: 10, activation: .softmax, l2: nil)]
            },
            optimizer: { h in
                let steps = h.epochs * ((Dataset.trainingCount + h.batchSize - 1) / h.batchSize)
                let decay = schedule ? CosineDecay(initialLearningRate: h.learningRate, decaySteps: max(1, steps)) : nil
                return .adam(learningRate: h.learningRate, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, schedule: decay)
            })
    }

    /// The extension's model: 16 and 32 filters, the width that reaches 0.995 within the
    /// report's time budget (32 and 64 filters cost about twice as much per epoch).
    public static let cnn16 = cnn(name: "cnn16", label: "CNN 16-32",
                                  summary: "a 3 × 3 CNN with 16 and 32 filters, batch normalisation and augmentation",
                                  channels: (16, 32))

    // MARK: the experiments

    /// The sections that train, in reading order.
    public static let experiments: [Experiment] = [
        Experiment(
            id: "2.3", title: "Training the small network", model: mlp64, quickEpochs: 3,
            figures: [.accuracy23],
            tables: [.init(id: "result_2_3"), .init(id: "epochs_2_3")],
            subsections: [.init(anchor: "s2-3-overfitting", title: "Overfitting or not?")]),
        Experiment(
            id: "2.4", title: "A wider network with weight decay", model: mlp500, quickEpochs: 3,
            sweep: Sweep(factors: Notebook.sweepFactors, replicates: Notebook.sweepReplicates, quickEpochs: 2),
            figures: [.accuracy24, .loss24, .sweep24],
            tables: [.init(id: "result_2_4"), .init(id: "sweep_2_4", needs: .sweep), .init(id: "best_2_4", needs: .any)],
            subsections: [
                .init(anchor: "s2-4-single", title: "One training"),
                .init(anchor: "s2-4-sweep", title: "The decay factor, swept", needs: .sweep),
                .init(anchor: "s2-4-best", title: "The best validation accuracy", needs: .any),
                .init(anchor: "s2-4-hinton", title: "Why Hinton's \(Notebook.hinton500300) may not be reached", needs: .always),
            ]),
        Experiment(
            id: "3.1", title: "A convolutional network", model: lenet5, quickEpochs: 2,
            figures: [.accuracy31, .confusion31, .errors31],
            tables: [.init(id: "result_3_1")],
            subsections: [
                .init(anchor: "s3-1-layers", title: "The new layer types", needs: .always),
                .init(anchor: "s3-1-curves", title: "Result"),
                .init(anchor: "s3-1-errors", title: "What the errors have in common"),
            ],
            savedModel: "lenet5.safetensors"),
        Experiment(
            // 13.8 s per epoch against the dense 500-300 network's 0.85 on an AMD EPYC (`bench
            // --models cnn16 mlp500`), scaled to that network's 1.1: the sweep's many epochs set the
            // ETA's pace, so the CNN is weighed against them.
            // Two epochs in the quick profile: after one, batch normalisation's running statistics
            // still lag the augmented inputs and validation accuracy swings with the last bits of
            // the arithmetic (0.80 here), too unstable for CI's comparison across CPUs.
            id: "3.1b", title: "Beyond the notebook", model: cnn16, quickEpochs: 2,
            variants: [
                .init(id: "all", label: "all three", model: cnn16, epochs: 3, quickEpochs: 2),
                .init(id: "no-augmentation", label: "without augmentation",
                      model: cnn(name: "cnn16-no-augmentation", label: "CNN 16-32 without augmentation",
                                 summary: "the CNN 16-32 without augmentation", channels: (16, 32), augmentation: false),
                      epochs: 3, quickEpochs: 2),
                .init(id: "no-batch-normalization", label: "without batch normalisation",
                      model: cnn(name: "cnn16-no-batch-normalization", label: "CNN 16-32 without batch normalisation",
                                 summary: "the CNN 16-32 without batch normalisation", channels: (16, 32), batchNormalization: false),
                      epochs: 3, quickEpochs: 2),
                .init(id: "constant-rate", label: "without the schedule (constant rate)",
                      model: cnn(name: "cnn16-constant-rate", label: "CNN 16-32 at a constant rate",
                                 summary: "the CNN 16-32 at a constant learning rate", channels: (16, 32), schedule: false),
                      epochs: 3, quickEpochs: 2),
            ],
            // Three seeds per row: σ of these 3-epoch trainings on 8 degrees of freedom, for 8
            // trainings more (about 16 min on 2 cores).
            variantReplicates: 3,
            figures: [.accuracy31b, .confusion31b, .errors31b],
            tables: [.init(id: "result_3_1b"), .init(id: "ablation_3_1b", needs: .variants), .init(id: "literature_3_1b", needs: .always)],
            subsections: [
                .init(anchor: "s3-1b-model", title: "A stronger network", needs: .always),
                .init(anchor: "s3-1b-result", title: "How far it goes"),
                .init(anchor: "s3-1b-ablation", title: "What each ingredient brings", needs: .variants),
                .init(anchor: "s3-1b-literature", title: "Against the literature", needs: .always),
            ],
            savedModel: "cnn16.safetensors"),
    ]

    /// The report's contents in reading order: every chapter, those that train and those that
    /// only explain, with the tables that do not belong to an experiment.
    public static let chapters: [Chapter] = [
        Chapter(anchor: "s1-1", number: "1.1", title: "Loading and preprocessing", figures: [.digits]),
        Chapter(anchor: "s2-1", number: "2.1", title: "The dense network", tables: ["parameters_2_1"]),
        Chapter(anchor: "s2-2", number: "2.2", title: "The loss"),
        Chapter(experiment: experiments[0]),
        Chapter(experiment: experiments[1]),
        Chapter(experiment: experiments[2]),
        Chapter(experiment: experiments[3]),
        Chapter(anchor: "s3-2", number: "3.2", title: "Convolutional against dense layers"),
        Chapter(anchor: "s4-1", number: "4.1", title: "Limitations"),
        Chapter(anchor: "s4-2", number: "4.2", title: "How to reproduce"),
        Chapter(anchor: "references", number: "", title: "References"),
        Chapter(anchor: "run", number: "", title: "About this run", tables: ["trainings"]),
    ]

    /// Every model the command line knows, in the order of the experiments that train them.
    public static let models: [ModelDefinition] = {
        var seen = Set<String>()
        return experiments.flatMap { [$0.model] + $0.variants.map(\.model) }.filter { seen.insert($0.name).inserted }
    }()

    /// Every model in a line each, for `--help`.
    public static var modelsHelp: String { models.map(\.help).joined(separator: "; ") }

    /// The sections that train, for `--help`: "2.3 (Training the small network), …".
    public static var sectionsHelp: String {
        experiments.map { experiment in
            let sweep = experiment.sweep.map { s in
                ", with a sweep of the L2 factor: \(s.factors.count) factors × \(s.replicates) replicates"
            } ?? ""
            return "\(experiment.id) (\(experiment.model.label)\(sweep))"
        }.joined(separator: ", ")
    }

    /// The experiment of section `id`.
    public static func experiment(_ id: String) -> Experiment? { experiments.first { $0.id == id } }

    /// The experiment that trains `model`, as its own model or in a variant (the first, if several do).
    public static func experiment(training model: ModelKind) -> Experiment? {
        experiments.first { $0.model.name == model.rawValue } ?? experiments.first { $0.variants.contains { $0.model.name == model.rawValue } }
    }
}

/// A model of the report: its layers, optimiser and the notebook's hyper-parameters.
public struct ModelDefinition: Sendable {
    /// The name the command line and results files use (`lenet5`).
    public let name: String
    /// A short label for titles ("LeNet-5", "dense 64-64").
    public let label: String
    /// What it is, in a phrase ("the notebook's LeNet-5 variant").
    public let summary: String
    public let defaults: Hyperparameters
    /// The layers, given the L2 factor where the model has one.
    public let layers: @Sendable (Float?) -> [LayerConfiguration]
    /// The optimiser for the given hyper-parameters (a schedule sees the epochs and batch size).
    public let optimizer: @Sendable (Hyperparameters) -> OptimizerConfiguration

    /// The model in a line for `--help`: "lenet5 (section 3.1, the notebook's LeNet-5 variant:
    /// Adam 0.001, 40 epochs, L2 0.0001)".
    public var help: String {
        let rate = defaults.learningRate
        let optimizer = switch self.optimizer(defaults) {
        case let .sgd(_, schedule): "SGD \(rate)" + (schedule == nil ? "" : " with cosine decay")
        case let .adam(_, _, _, _, schedule): "Adam \(rate)" + (schedule == nil ? "" : " with cosine decay")
        }
        let section = Catalogue.experiment(training: ModelKind(self)).map { "section \($0.id), " } ?? ""
        let l2 = defaults.l2.map { ", L2 " + String(format: "%g", Double($0)).replacingOccurrences(of: "e-0", with: "e-") } ?? ""
        return "\(name) (\(section)\(summary): \(optimizer), \(defaults.epochs) epochs\(l2))"
    }
}

/// One section of the report that trains networks.
public struct Experiment: Sendable {
    /// The section number, which is also the id of its single training (`3.1`).
    public let id: String
    public let title: String
    public let model: ModelDefinition
    /// Epochs per training in the quick profile (the full profile uses the model's defaults).
    public let quickEpochs: Int
    /// A sweep over the L2 factor with replicate trainings, besides the single training.
    public let sweep: Sweep?
    /// Its figures, in reading order (drawn by the `Rendering` target).
    public let figures: [FigureID]
    /// Its tables, in reading order, and what each needs to be shown.
    public let tables: [Table]
    /// Its subsections (`h4` headings with anchors), for the contents.
    public let subsections: [Subsection]
    /// Trainings of variants of the model beside the single one (an ablation), each with its
    /// own epochs; their ids are the experiment's id and the variant's (`3.1b-no-augmentation`).
    public let variants: [Variant]
    /// Trainings of each variant in the full profile, from as many seeds (the quick profile
    /// trains each once): the seed spread of the ablation, measured on its own family.
    public let variantReplicates: Int
    /// The file name under which the single training's weights are copied beside the report.
    public let savedModel: String?

    public init(id: String, title: String, model: ModelDefinition, quickEpochs: Int, sweep: Sweep? = nil,
                variants: [Variant] = [], variantReplicates: Int = 1, figures: [FigureID], tables: [Table], subsections: [Subsection],
                savedModel: String? = nil) {
        precondition(variantReplicates >= 1, "a variant is trained at least once")
        (self.id, self.title, self.model, self.quickEpochs) = (id, title, model, quickEpochs)
        (self.sweep, self.variants, self.variantReplicates, self.figures, self.tables) = (sweep, variants, variantReplicates, figures, tables)
        (self.subsections, self.savedModel) = (subsections, savedModel)
    }

    /// One training of an ablation: a model that differs from the experiment's in one thing.
    public struct Variant: Sendable {
        public let id: String
        /// What it is in the ablation's table ("without augmentation").
        public let label: String
        public let model: ModelDefinition
        /// Epochs in the full and the quick profile.
        public let epochs: Int
        public let quickEpochs: Int

        public init(id: String, label: String, model: ModelDefinition, epochs: Int, quickEpochs: Int) {
            (self.id, self.label, self.model, self.epochs, self.quickEpochs) = (id, label, model, epochs, quickEpochs)
        }
    }

    /// The training id of a variant's replicate: the first keeps the plain name
    /// (`3.1b-no-augmentation`), later ones add theirs (`3.1b-no-augmentation-r2`).
    public func trainingID(_ variant: Variant, replicate: Int = 0) -> String {
        replicate == 0 ? "\(id)-\(variant.id)" : "\(id)-\(variant.id)-r\(replicate + 1)"
    }

    /// The HTML anchor of its section (`s3-1`).
    public var anchor: String { "s" + id.replacingOccurrences(of: ".", with: "-") }
    public var section: Section { Section(id) }

    /// What part of a section a table or subsection shows, and so what the run must hold for it.
    public enum Needs: Sendable, Equatable {
        /// Always shown, whatever the run trained.
        case always
        /// The single training of the experiment.
        case single
        /// The sweep's trainings.
        case sweep
        /// The single training or the sweep.
        case any
        /// The single training's predictions with at least one mistake.
        case errors
        /// The variants' trainings.
        case variants
    }

    public struct Table: Sendable {
        public let id: String
        public let needs: Needs
        public init(id: String, needs: Needs = .single) { (self.id, self.needs) = (id, needs) }
    }

    public struct Subsection: Sendable {
        public let anchor: String
        public let title: String
        public let needs: Needs
        public init(anchor: String, title: String, needs: Needs = .single) { (self.anchor, self.title, self.needs) = (anchor, title, needs) }
    }
}

/// A sweep over the L2 factor: the factors, the replicates of each, and the quick profile's epochs.
public struct Sweep: Sendable {
    public let factors: [Float]
    public let replicates: Int
    public let quickEpochs: Int
}

/// One entry of the report's contents.
public struct Chapter: Sendable {
    public let anchor: String
    public let number: String
    public let title: String
    /// The experiment the chapter reports, if it trains.
    public let experiment: Experiment?
    /// Tables and figures of a chapter that does not train, always shown.
    public let tables: [String]
    public let figures: [FigureID]

    public init(anchor: String, number: String, title: String, tables: [String] = [], figures: [FigureID] = []) {
        (self.anchor, self.number, self.title, self.experiment) = (anchor, number, title, nil)
        (self.tables, self.figures) = (tables, figures)
    }

    public init(experiment: Experiment) {
        (anchor, number, title, self.experiment) = (experiment.anchor, experiment.id, experiment.title, experiment)
        (tables, figures) = ([], experiment.figures)
    }
}
