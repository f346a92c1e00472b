/// A layer's type and hyper-parameters as data: enough to build the layer again, to describe a
/// model in a saved file's metadata, and to key a cache of trainings.
public enum LayerConfiguration: Codable, Equatable, Hashable, Sendable {
    case flatten
    case dense(units: Int, activation: Activation, l2: Float?)
    case conv2D(filters: Int, kernelSize: Int, strides: Int, padding: Padding, activation: Activation, l2: Float?)
    case zeroPadding2D(padding: Int)
    case averagePooling2D(poolSize: Int, strides: Int)
    case maxPooling2D(poolSize: Int, strides: Int)
    case dropout(rate: Float)

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
        }
    }
}
