import Assignment
import Training
import NeuralEngine
import Testing

/// The description of a model from its layers agrees with the engine's built model, for every
/// model of the catalogue: the report can read models without building them.
@Suite struct ModelDescriptionAgreementTests {
    @Test(arguments: ModelKind.allCases)
    func theDescriptionIsTheBuiltModel(kind: ModelKind) throws {
        let spec = TrainingSpec(model: kind)
        var generator = SeededGenerator(seed: 0)
        let built = try spec.makeModel(using: &generator)
        let described = try ModelDescription(spec.layers, inputShape: TrainingSpec.inputShape)
        #expect(described.summary() == built.summary())
        #expect(described.layers.map(\.name) == built.layers.map(\.name))
        #expect(described.layers.map(\.outputShape) == built.layers.map(\.outputShape))
        #expect(described.layers.map(\.parameters) == built.layers.map(\.parameterCount))
        #expect(described.layers.map(\.nonTrainable) == built.layers.map(\.nonTrainableCount))
        #expect(described.layers.map(\.multiplyAccumulates) == built.layers.map(\.multiplyAccumulatesPerItem))
        #expect(described.firstTrainableIndex == built.firstTrainableIndex)
    }
}
