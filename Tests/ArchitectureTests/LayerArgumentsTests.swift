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
}
