import Architecture
import Testing

/// Models described from their layers alone: shapes, names, counts and work, without an engine.
@Suite struct ModelDescriptionTests {
    /// A small network with one layer of each spatial kind, 'valid' and 'same' convolutions.
    static let small: [LayerConfiguration] = [
        .zeroPadding2D(padding: 1),
        .conv2D(filters: 4, kernelSize: 3, strides: 1, padding: .valid, activation: .relu, l2: nil),
        .maxPooling2D(poolSize: 2, strides: 2),
        .conv2D(filters: 8, kernelSize: 3, strides: 1, padding: .same, activation: .relu, l2: 1e-4),
        .averagePooling2D(poolSize: 2, strides: 2),
        .flatten,
        .dense(units: 16, activation: .relu, l2: 1e-4),
        .dropout(rate: 0.5),
        .dense(units: 10, activation: .softmax, l2: nil),
    ]

    @Test func aSmallNetworkLayerByLayer() throws {
        let model = try ModelDescription(Self.small, inputShape: [28, 28, 1])
        #expect(model.layers.map(\.name) == ["zero_padding2d", "conv2d", "max_pooling2d", "conv2d_1", "average_pooling2d",
                                             "flatten", "dense", "dropout", "dense_1"])
        #expect(model.layers.map(\.outputShape) == [[30, 30, 1], [28, 28, 4], [14, 14, 4], [14, 14, 8], [7, 7, 8],
                                                    [392], [16], [16], [10]])
        #expect(model.layers.map(\.parameters) == [0, 40, 0, 296, 0, 0, 6_288, 0, 170])
        #expect(model.parameters == 6_794 && model.nonTrainable == 0 && model.firstTrainableIndex == 1)
        // Each kernel value meets every output position once: 3 × 3 × 1 × 4 at 28 × 28; Dense its kernel once.
        let macs: [Int] = [0, 36 * 784, 0, 288 * 196, 0, 0, 392 * 16, 0, 160]
        #expect(model.layers.map(\.multiplyAccumulates) == macs)
        #expect(model.layers[3].inputShape == [14, 14, 4])
        // Forward on every item, backward twice but once for the first trainable layer.
        let total = Double(macs.reduce(0, +)), first = Double(macs[1])
        let expected: Double = 2 * 15 * total + 2 * 10 * (2 * total - first)
        #expect(model.epochFLOPs(trainItems: 10, testItems: 5) == expected)
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
