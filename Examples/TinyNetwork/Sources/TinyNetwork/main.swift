// Trains a small dense network with mnist-report's NeuralEngine on a made-up problem: which of
// four clusters a point of the plane comes from. The same seed gives the same weights on every
// CPU the engine runs on, which the last line shows as a checksum of the weights.
import NeuralEngine

/// Points around four centres, with one-hot labels: the whole data set, drawn from `generator`.
func clusters(count: Int, using generator: inout SeededGenerator) -> (x: Tensor, y: Tensor) {
    let centres: [(Float, Float)] = [(-1, -1), (-1, 1), (1, -1), (1, 1)]
    var points: [Float] = [], labels: [Float] = []
    for _ in 0..<count {
        let label = Int.random(in: 0..<centres.count, using: &generator)
        let (cx, cy) = centres[label]
        points += [cx + Float.random(in: -1.3...1.3, using: &generator), cy + Float.random(in: -1.3...1.3, using: &generator)]
        labels += (0..<centres.count).map { $0 == label ? 1 : 0 }
    }
    return (Tensor(shape: [count, 2], scalars: points), Tensor(shape: [count, centres.count], scalars: labels))
}

var generator = SeededGenerator(seed: 42)
let train = clusters(count: 2_000, using: &generator)
let test = clusters(count: 500, using: &generator)

let model = Sequential([
    Dense(units: 16, activation: .relu),
    Dense(units: 16, activation: .relu),
    Dense(units: 4, activation: .softmax),
])
try model.build(inputShape: [2], using: &generator)
print(model.summary())

let (history, _) = try model.fit(x: train.x, y: train.y, batchSize: 32, epochs: 5,
                                 optimizer: SGD(learningRate: 0.1), validationData: (test.x, test.y),
                                 using: &generator)
for (epoch, accuracy) in history.valAccuracy.enumerated() {
    print("epoch \(epoch + 1): validation accuracy \(accuracy)")
}
let result = try model.evaluate(x: test.x, y: test.y)
print("test accuracy \(result.accuracy) on the \(ComputeKernels.level.rawValue) kernels")

// FNV-1a over the weights' bits: the same on every CPU, kernel level and thread count.
var checksum: UInt64 = 0xcbf2_9ce4_8422_2325
for parameter in model.parameters {
    for value in parameter.value.scalars {
        checksum = (checksum ^ UInt64(value.bitPattern)) &* 0x100_0000_01b3
    }
}
print("weights checksum \(String(checksum, radix: 16))")
