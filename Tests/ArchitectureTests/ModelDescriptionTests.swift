import Architecture
import Testing

/// Models described from their layers alone: shapes, names, counts and work, without an engine.
@Suite struct ModelDescriptionTests {
    /// The notebook's LeNet-5 variant (section 3.1).
    static let lenet: [LayerConfiguration] = [
        .zeroPadding2D(padding: 2),
        .conv2D(filters: 6, kernelSize: 5, strides: 1, padding: .valid, activation: .relu, l2: nil),
        .averagePooling2D(poolSize: 2, strides: 2),
        .conv2D(filters: 16, kernelSize: 5, strides: 1, padding: .valid, activation: .relu, l2: nil),
        .averagePooling2D(poolSize: 2, strides: 2),
        .flatten,
        .dense(units: 120, activation: .relu, l2: 1e-4),
        .dropout(rate: 0.5),
        .dense(units: 84, activation: .relu, l2: 1e-4),
        .dense(units: 10, activation: .softmax, l2: nil),
    ]

    @Test func leNetFiveLayerByLayer() throws {
        let model = try ModelDescription(Self.lenet, inputShape: [28, 28, 1])
        #expect(model.layers.map(\.name) == ["zero_padding2d", "conv2d", "average_pooling2d", "conv2d_1", "average_pooling2d_1",
                                             "flatten", "dense", "dropout", "dense_1", "dense_2"])
        #expect(model.layers.map(\.outputShape) == [[32, 32, 1], [28, 28, 6], [14, 14, 6], [10, 10, 16], [5, 5, 16],
                                                    [400], [120], [120], [84], [10]])
        #expect(model.layers.map(\.parameters) == [0, 156, 0, 2_416, 0, 0, 48_120, 0, 10_164, 850])
        #expect(model.parameters == 61_706 && model.nonTrainable == 0 && model.firstTrainableIndex == 1)
        // 5 × 5 × 1 × 6 kernel values at 28 × 28 positions; Dense: its kernel once.
        #expect(model.layers[1].multiplyAccumulates == 150 * 784)
        #expect(model.layers[6].multiplyAccumulates == 400 * 120 && model.layers[0].multiplyAccumulates == 0)
        #expect(model.layers[3].inputShape == [14, 14, 6])
    }

    @Test func batchNormalizationWeightsAreCountedAsKerasDoes() throws {
        let model = try ModelDescription([.flatten, .dense(units: 4, activation: .relu, l2: nil),
                                          .batchNormalization(momentum: 0.99, epsilon: 1e-3)], inputShape: [2, 2, 1])
        #expect(model.parameters == 16 + 4 + 8 && model.nonTrainable == 8)
        let summary = model.summary()
        #expect(summary.contains("│ batch_normalization (BatchNormalization) │ (None, 4)"))
        #expect(summary.hasSuffix(" Total params: 36 (144.00 B)\n Trainable params: 28 (112.00 B)\n Non-trainable params: 8 (32.00 B)"))
    }

    @Test func namesAndNumbersReadAsKerasWritesThem() {
        #expect(ModelDescription.names(["Dense", "Conv2D", "Dense", "ZeroPadding2D", "Dense"])
                == ["dense", "conv2d", "dense_1", "zero_padding2d", "dense_2"])
        #expect(ModelDescription.grouped(545_810) == "545,810" && ModelDescription.grouped(-1_000) == "-1,000")
        #expect(ModelDescription.grouped(999) == "999")
    }

    @Test func aModelThatCannotBeBuiltIsRefusedWithItsReason() {
        #expect(throws: ArchitectureError.self) { try ModelDescription([.dense(units: 4, activation: .relu, l2: nil)], inputShape: [2, 2, 1]) }
        do {
            _ = try ModelDescription([.averagePooling2D(poolSize: 5, strides: 1)], inputShape: [4, 4, 1])
            Issue.record("a pool larger than the image was accepted")
        } catch {
            #expect(String(describing: error).contains("does not fit 4 × 4 items"))
        }
    }
}
