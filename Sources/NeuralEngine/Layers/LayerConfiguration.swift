import Architecture

extension LayerConfiguration {
    /// A new, unbuilt layer with this configuration.
    public func makeLayer() -> any Layer {
        switch self {
        case .flatten:
            return Flatten()
        case let .dense(units, activation, l2):
            return Dense(units: units, activation: activation, kernelRegularizer: l2.map(L2.init))
        case let .conv2D(filters, kernelSize, strides, padding, activation, l2):
            return Conv2D(filters: filters, kernelSize: kernelSize, strides: strides, padding: padding,
                          activation: activation, kernelRegularizer: l2.map(L2.init))
        case let .zeroPadding2D(padding):
            return ZeroPadding2D(padding: padding)
        case let .averagePooling2D(poolSize, strides):
            return AveragePooling2D(poolSize: poolSize, strides: strides)
        case let .maxPooling2D(poolSize, strides):
            return MaxPooling2D(poolSize: poolSize, strides: strides)
        case let .dropout(rate):
            return Dropout(rate: rate)
        case let .batchNormalization(momentum, epsilon):
            return BatchNormalization(momentum: momentum, epsilon: epsilon)
        case let .randomTranslation(height, width):
            return RandomTranslation(heightFactor: height, widthFactor: width)
        case let .randomRotation(factor):
            return RandomRotation(factor: factor)
        }
    }
}
