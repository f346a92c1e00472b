import Assignment
import Training
import Foundation
import NeuralEngine
import Testing

/// The layers and optimiser of each training spec are hashed (as key-sorted JSON) into the
/// training cache's keys; new layer kinds and the optional learning-rate schedule must leave
/// the JSON of today's three models as it was, so that their cached trainings stay valid.
/// The strings were encoded before the new layers and the schedule existed.
@Suite("Training specs encode as before")
struct SpecEncodingTests {
    @Test(arguments: [
        (ModelKind.mlp64,
         #"[{"flatten":{}},{"dense":{"activation":"relu","units":64}},{"dense":{"activation":"relu","units":64}},{"dense":{"activation":"softmax","units":10}}]"#,
         #"{"sgd":{"learningRate":0.1}}"#),
        (ModelKind.mlp500,
         #"[{"flatten":{}},{"dense":{"activation":"relu","l2":1e-05,"units":500}},{"dense":{"activation":"relu","l2":1e-05,"units":300}},{"dense":{"activation":"softmax","units":10}}]"#,
         #"{"sgd":{"learningRate":0.1}}"#),
        (ModelKind.lenet5,
         #"[{"zeroPadding2D":{"padding":2}},{"conv2D":{"activation":"relu","filters":6,"kernelSize":5,"padding":"valid","strides":1}},{"averagePooling2D":{"poolSize":2,"strides":2}},{"conv2D":{"activation":"relu","filters":16,"kernelSize":5,"padding":"valid","strides":1}},{"averagePooling2D":{"poolSize":2,"strides":2}},{"flatten":{}},{"dense":{"activation":"relu","l2":0.0001,"units":120}},{"dropout":{"rate":0.5}},{"dense":{"activation":"relu","l2":0.0001,"units":84}},{"dense":{"activation":"softmax","units":10}}]"#,
         #"{"adam":{"beta1":0.9,"beta2":0.999,"epsilon":1e-07,"learningRate":0.001}}"#),
    ])
    func todaysSpecsEncodeAsBefore(model: ModelKind, layers: String, optimizer: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let spec = TrainingSpec(model: model)
        #expect(String(decoding: try encoder.encode(spec.layers), as: UTF8.self) == layers)
        #expect(String(decoding: try encoder.encode(spec.optimizer), as: UTF8.self) == optimizer)
    }
}
