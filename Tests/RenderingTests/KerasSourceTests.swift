import Assignment
import Training
import Foundation
import NeuralEngine
@testable import Results
import ReportFixtures
@testable import Rendering
import Testing

/// The Keras 3 listings: written from the engine's layer configurations, with the run's
/// hyper-parameters, for every model of the catalogue.
@Suite struct KerasSourceTests {
    @Test func theDenseNetworkOfSection23() {
        let expected = """
            import keras

            model = keras.Sequential([
                keras.Input(shape=(28, 28, 1)),
                keras.layers.Flatten(),
                keras.layers.Dense(64, activation="relu"),
                keras.layers.Dense(64, activation="relu"),
                keras.layers.Dense(10, activation="softmax"),
            ])
            model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1),
                          loss="categorical_crossentropy", metrics=["accuracy"])
            history = model.fit(x_train, y_train, batch_size=128, epochs=10,
                                validation_data=(x_test, y_test))
            """
        #expect(KerasSource.listing(TrainingSpec(model: .mlp64)) == expected)
    }

    @Test func lenet5WithItsRegularisedDenseLayersAndAnotherBatchSize() {
        var hyperparameters = ModelKind.lenet5.defaults
        (hyperparameters.batchSize, hyperparameters.epochs) = (64, 2)
        let lines = KerasSource.listing(TrainingSpec(model: .lenet5, hyperparameters: hyperparameters)).split(separator: "\n").map(String.init)
        #expect(lines == [
            "import keras",
            "model = keras.Sequential([",
            "    keras.Input(shape=(28, 28, 1)),",
            "    keras.layers.ZeroPadding2D(padding=2),",
            "    keras.layers.Conv2D(6, kernel_size=5, activation=\"relu\"),",
            "    keras.layers.AveragePooling2D(pool_size=2, strides=2),",
            "    keras.layers.Conv2D(16, kernel_size=5, activation=\"relu\"),",
            "    keras.layers.AveragePooling2D(pool_size=2, strides=2),",
            "    keras.layers.Flatten(),",
            "    keras.layers.Dense(120, activation=\"relu\", kernel_regularizer=keras.regularizers.L2(0.0001)),",
            "    keras.layers.Dropout(0.5),",
            "    keras.layers.Dense(84, activation=\"relu\", kernel_regularizer=keras.regularizers.L2(0.0001)),",
            "    keras.layers.Dense(10, activation=\"softmax\"),",
            "])",
            "model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.001),",
            "              loss=\"categorical_crossentropy\", metrics=[\"accuracy\"])",
            "history = model.fit(x_train, y_train, batch_size=64, epochs=2,",
            "                    validation_data=(x_test, y_test))",
        ])
    }

    @Test func theExtensionsCNNWithAugmentationBatchNormalisationAndItsSchedule() {
        let listing = KerasSource.listing(TrainingSpec(model: ModelKind(Catalogue.cnn16)))
        let lines = listing.split(separator: "\n").map(String.init)
        #expect(Array(lines[2...4]) == [
            "    keras.Input(shape=(28, 28, 1)),",
            "    keras.layers.RandomRotation(factor=0.027777778, fill_mode=\"constant\"),",
            "    keras.layers.RandomTranslation(height_factor=0.1, width_factor=0.1, fill_mode=\"constant\"),",
        ])
        #expect(lines.contains("    keras.layers.Conv2D(16, kernel_size=3, padding=\"same\", activation=\"relu\"),"))
        #expect(lines.contains("    keras.layers.BatchNormalization(momentum=0.99, epsilon=0.001),"))
        #expect(lines.contains("    keras.layers.MaxPooling2D(pool_size=2, strides=2),"))
        // 20 epochs of ⌈60,000 / 128⌉ = 469 steps.
        #expect(lines.contains("schedule = keras.optimizers.schedules.CosineDecay(initial_learning_rate=0.001, decay_steps=9380)"))
        #expect(lines.contains("model.compile(optimizer=keras.optimizers.Adam(learning_rate=schedule),"))
    }

    @Test func theSweepLoopsOverTheCataloguesFactorsAndReplicates() throws {
        let sweep = try #require(Catalogue.experiment("2.4")?.sweep)
        var hyperparameters = ModelKind.mlp500.defaults
        hyperparameters.epochs = 2
        let lines = KerasSource.sweep(.mlp500, sweep, hyperparameters: hyperparameters).split(separator: "\n").map(String.init)
        #expect(Array(lines.prefix(4)) == ["import keras", "import numpy",
                                            "for factor in numpy.linspace(1e-6, 0.001, 5):", "    for replicate in range(3):"])
        #expect(lines.contains("            keras.layers.Dense(500, activation=\"relu\", kernel_regularizer=keras.regularizers.L2(factor)),"))
        #expect(lines.contains("            keras.layers.Dense(300, activation=\"relu\", kernel_regularizer=keras.regularizers.L2(factor)),"))
        #expect(lines.contains("            keras.layers.Dense(10, activation=\"softmax\"),"))
        #expect(lines.contains("        history = model.fit(x_train, y_train, batch_size=128, epochs=2,"))
        #expect(!lines.contains { $0.contains("L2(1e-") })
    }

    @Test func factorsThatAreNotEvenlySpacedAreWrittenAsAList() {
        #expect(KerasSource.factorsExpression([1e-6, 2.5075e-4, 5.005e-4, 7.5025e-4, 1e-3]).expression == "numpy.linspace(1e-6, 0.001, 5)")
        let uneven = KerasSource.factorsExpression([1e-5, 1e-4, 1e-3])
        #expect(uneven.expression == "[1e-5, 0.0001, 0.001]")
        #expect(uneven.imports.isEmpty)
        #expect(KerasSource.factorsExpression([1e-4]).expression == "[0.0001]")
    }

    @Test func everyModelOfTheCatalogueHasAKerasAndASwiftListing() throws {
        for kind in ModelKind.allCases {
            let spec = TrainingSpec(model: kind)
            let keras = KerasSource.listing(spec)
            let layerLines = keras.split(separator: "\n").filter { $0.hasPrefix("    keras.layers.") }
            #expect(layerLines.count == spec.layers.count, "\(kind): one keras.layers call per layer")
            #expect(keras.contains("model.compile(optimizer=keras.optimizers.") && keras.contains("history = model.fit("), "\(kind)")
            let swift = SwiftSource.listing(spec)
            #expect(swift.contains("let history = try model.fit(x: data.trainX, y: data.trainY, batchSize: \(spec.hyperparameters.batchSize)"), "\(kind)")
        }
        let scripts = try KerasSource.scripts { try $0.engineParameterCount() }
        #expect(scripts.map(\.model) == ModelKind.allCases.map(\.rawValue))
        #expect(scripts.allSatisfy { $0.source.hasSuffix("print(model.count_params())\n") && $0.source.contains("keras.Sequential([") })
        let counts = Dictionary(uniqueKeysWithValues: scripts.map { ($0.model, $0.engineParameters) })
        #expect(counts["mlp64"] == Notebook.parameters.mlp64)
        #expect(counts["mlp500"] == Notebook.parameters.mlp500)
        #expect(counts["lenet5"] == Notebook.parameters.lenet5)
        // Batch normalisation's running mean and variance count, as in Keras's count_params().
        var generator = SeededGenerator(seed: 0)
        let cnn = try TrainingSpec(model: ModelKind(Catalogue.cnn16)).makeModel(using: &generator)
        #expect(counts["cnn16"] == cnn.parameterCount + cnn.nonTrainableCount && cnn.nonTrainableCount > 0)
    }

    @Test func theManifestNamesEachScriptAndTheEnginesCount() throws {
        let scripts = try KerasSource.scripts { try $0.engineParameterCount() }
        let json = try #require(try JSONSerialization.jsonObject(with: Data(KerasSource.manifest(scripts))) as? [String: Any])
        let models = try #require(json["models"] as? [[String: Any]])
        #expect(models.count == scripts.count)
        #expect(models.first?["file"] as? String == "mlp64.py")
        #expect(models.first?["engine_parameters"] as? Int == Notebook.parameters.mlp64)
    }

    /// The report's listings show what the run trained: the quick profile's epochs, and the
    /// cosine schedule over the quick run's steps (2 epochs × 469).
    @Test func theReportsListingsCarryTheRunsHyperparameters() throws {
        let models = ReportViewModel.models(Fixtures.results())
        let cnn = try #require(models["cnn16"])
        let keras = cnn.kerasHTML
        #expect(keras.contains("epochs=<span class=\"hl-num\">2</span>"))
        #expect(keras.contains("decay_steps=<span class=\"hl-num\">938</span>"))
        let swift = cnn.swiftHTML
        #expect(swift.contains("decaySteps: <span class=\"hl-num\">938</span>"))
        // A run without the model shows the notebook's settings.
        let none = ReportViewModel.models(Fixtures.results(sections: [.s2_3]))
        let lenet = try #require(none["lenet5"]?.kerasHTML)
        #expect(lenet.contains("epochs=<span class=\"hl-num\">40</span>"))
    }

    /// Old results show the models they trained, not today's: the record's layers (schema 2)
    /// make the listings and the summary; without them (schema 1) the page says so.
    @Test func theModelsShownAreTheRunsOwn() throws {
        var document = Fixtures.results(sections: [.s2_3])
        document.trainings[0].layers = [.flatten, .dense(units: 32, activation: .relu, l2: nil), .dense(units: 10, activation: .softmax, l2: nil)]
        let mlp = try #require(ReportViewModel.models(document)["mlp64"])
        #expect(mlp.summary.contains("(None, 32)") && mlp.shape == "784-32-10")
        #expect(mlp.swiftHTML.contains("<span class=\"hl-num\">32</span>"))
        #expect(!mlp.unrecorded)
        document.trainings[0].layers = nil
        let old = try #require(ReportViewModel.models(document)["mlp64"])
        #expect(old.unrecorded && old.shape == "784-64-64-10")
        #expect(ReportViewModel.models(document)["lenet5"]?.unrecorded == false)
    }

    @Test func theRenderedReportShowsBothListingsAndTheSweep() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let templates = try StrictTemplates(directory: Fixtures.templatesDirectory)
        try ReportWriter(templates: templates).write(Fixtures.results(), to: folder + "/r")
        let html = try String(contentsOfFile: folder + "/r/index.html", encoding: .utf8)
        for model in ["mlp64", "mlp500", "lenet5", "cnn16"] {
            #expect(html.contains("id=\"listing-\(model)-swift\"") && html.contains("id=\"listing-\(model)-keras\""), "\(model)")
        }
        #expect(html.contains("<span class=\"hl-fn\">Conv2D</span>"))
        #expect(html.contains("<summary>The sweep in Keras 3</summary>"))
        #expect(html.contains("<span class=\"hl-kw\">for</span> factor <span class=\"hl-kw\">in</span> numpy.<span class=\"hl-fn\">linspace</span>"))
    }
}
