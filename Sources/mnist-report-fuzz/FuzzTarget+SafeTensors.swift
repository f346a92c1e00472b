import NeuralEngine

extension FuzzTarget {
    /// The most values of one input item for which the harness runs a prediction: enough for
    /// every MNIST model (784) and small enough that a prediction takes microseconds.
    static let predictedValuesPerItem = 4096

    /// Bytes as a model file: decoded, built from its own architecture and weights; a small
    /// model then predicts once on a zero input, and is saved and loaded back unchanged.
    static func safetensors(_ bytes: [UInt8]) -> String {
        let model: Sequential
        do {
            model = try SafeTensors.model(from: SafeTensors.decode(bytes))
        } catch {
            return rejected(error)
        }
        // Within ArchitectureLimits, so the product cannot overflow.
        let values = model.inputShape.reduce(1, *)
        if values <= predictedValuesPerItem {
            do {
                let output = try model.predict(Tensor(repeating: 0, shape: [1] + model.inputShape))
                guard output.shape == [1] + model.outputShape else {
                    fatalError("predict returned shape \(output.shape) for a model whose output shape is \(model.outputShape)")
                }
            } catch {
                fatalError("a model built from a file cannot predict on an input of its own shape: \(error)")
            }
        }
        // Saving what was loaded and loading it again gives the same model, bit for bit.
        do {
            let again = try SafeTensors.model(from: SafeTensors.decode(SafeTensors.encode(model)))
            guard again.inputShape == model.inputShape, again.configurations == model.configurations else {
                fatalError("saved and reloaded, the architecture changed: \(model.configurations) became \(again.configurations)")
            }
            for (layer, reloaded) in zip(model.layers, again.layers) {
                for (parameter, copy) in zip(layer.parameters, reloaded.parameters)
                where parameter.value.shape != copy.value.shape
                    || !parameter.value.scalars.elementsEqual(copy.value.scalars, by: { $0.bitPattern == $1.bitPattern }) {
                    fatalError("saved and reloaded, \(layer.name)/\(parameter.name) changed")
                }
            }
        } catch {
            fatalError("a model loaded from a file cannot be saved and loaded again: \(error)")
        }
        return "accepted: \(model.layers.count) layers, input \(model.inputShape), output \(model.outputShape)"
            + (values <= predictedValuesPerItem ? ", predicted" : "")
    }
}
