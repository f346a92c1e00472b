import Architecture
import Testing

@Suite("Layer arguments")
struct LayerArgumentsTests {
    static let everyType: [LayerConfiguration] = [
        .flatten, .dense(units: 10, activation: .softmax, l2: 1e-4),
        .conv2D(filters: 6, kernelSize: 5, strides: 2, padding: .same, activation: .relu, l2: nil),
        .zeroPadding2D(padding: 2), .averagePooling2D(poolSize: 2, strides: 2), .maxPooling2D(poolSize: 3, strides: 1),
        .dropout(rate: 0.5), .batchNormalization(momentum: 0.99, epsilon: 1e-3),
        .randomTranslation(height: 0.1, width: 0.2), .randomRotation(factor: 0.03),
    ]

    @Test func eachTypeDeclaresItsArgumentsOnceForBothLanguages() {
        for configuration in Self.everyType {
            let arguments = configuration.arguments
            #expect(Set(arguments.map(\.swiftLabel)).count == arguments.count, "\(configuration.typeName): a label twice")
            // Keras takes a value by position only first, and only an argument both libraries have.
            for (i, argument) in arguments.enumerated() where argument.kerasKeyword == nil {
                #expect(i == 0 && !argument.kerasOnly, "\(configuration.typeName): \(argument.swiftLabel)")
            }
        }
    }

    @Test func sharedDefaultsAreLeftOut() {
        let plain = LayerConfiguration.conv2D(filters: 6, kernelSize: 5, strides: 1, padding: .valid, activation: .relu, l2: nil)
        #expect(plain.arguments.map(\.swiftLabel) == ["filters", "kernelSize", "activation"])
        let full = LayerConfiguration.conv2D(filters: 6, kernelSize: 5, strides: 2, padding: .same, activation: .relu, l2: 1e-4)
        #expect(full.arguments.map(\.swiftLabel) == ["filters", "kernelSize", "strides", "padding", "activation", "kernelRegularizer"])
        #expect(full.arguments.last?.value == .l2(1e-4))
    }

    /// LeNet-5 as the notebook builds it: padding to 32 × 32, two 5 × 5 convolutions each
    /// followed by a 2 × 2 average pool, then three dense layers.
    static let lenet: [LayerConfiguration] = [
        .zeroPadding2D(padding: 2),
        .conv2D(filters: 6, kernelSize: 5, strides: 1, padding: .valid, activation: .relu, l2: nil),
        .averagePooling2D(poolSize: 2, strides: 2),
        .conv2D(filters: 16, kernelSize: 5, strides: 1, padding: .valid, activation: .relu, l2: nil),
        .averagePooling2D(poolSize: 2, strides: 2),
        .flatten, .dense(units: 120, activation: .relu, l2: nil), .dropout(rate: 0.5),
        .dense(units: 84, activation: .relu, l2: nil), .dense(units: 10, activation: .softmax, l2: nil),
    ]

    @Test func theReceptiveFieldFollowsFromTheWindows() throws {
        // 1 + 4 (first kernel) + 1 (first pool) + 4 · 2 (second kernel, after a stride of 2) + 1 · 2 (second pool) = 16:
        // LeNet-5's last pooled value sees a 16 × 16 patch of the padded image.
        let model = try ModelDescription(Self.lenet, inputShape: [28, 28, 1])
        #expect(model.receptiveField == 16)
        #expect(try ModelDescription([.flatten, .dense(units: 10, activation: .softmax, l2: nil)], inputShape: [28, 28, 1]).receptiveField == 1)
        let strided = try ModelDescription([.conv2D(filters: 2, kernelSize: 3, strides: 2, padding: .valid, activation: .relu, l2: nil),
                                            .conv2D(filters: 2, kernelSize: 3, strides: 1, padding: .valid, activation: .relu, l2: nil)],
                                           inputShape: [28, 28, 1])
        #expect(strided.receptiveField == 3 + 2 * 2)
        #expect(Self.everyType.filter { $0.window != nil }.map(\.typeName) == ["Conv2D", "AveragePooling2D", "MaxPooling2D"])
        let pool = try #require(LayerConfiguration.maxPooling2D(poolSize: 3, strides: 1).window)
        #expect(pool.side == 3 && pool.strides == 1)
    }

    @Test func theParameterFormulaMultipliesOutTheTrainableWeights() throws {
        let model = try ModelDescription(Self.lenet, inputShape: [28, 28, 1])
        let formulas = model.layers.map { $0.parameterFormula ?? "–" }
        #expect(formulas == ["–", "5 × 5 × 1 × 6 + 6", "–", "5 × 5 × 6 × 16 + 16", "–", "–", "400 × 120 + 120", "–",
                             "120 × 84 + 84", "84 × 10 + 10"])
        let wide = try ModelDescription([.flatten, .dense(units: 500, activation: .relu, l2: nil),
                                         .batchNormalization(momentum: 0.99, epsilon: 1e-3)], inputShape: [28, 28, 1])
        // Digits grouped as the counts are; the moving statistics are not trained and not counted.
        #expect(wide.layers.map(\.parameterFormula) == [nil, "784 × 500 + 500", "500 + 500"])
        #expect(wide.layers[2].parameters == 1_000 && wide.layers[2].nonTrainable == 1_000)
    }
}
