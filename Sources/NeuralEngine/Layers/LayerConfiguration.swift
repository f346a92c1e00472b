/// A layer's type and hyper-parameters as data: enough to build the layer again, to describe a
/// model in a saved file's metadata, and to key a cache of trainings.
public enum LayerConfiguration: Codable, Equatable, Hashable, Sendable {
    case flatten
    case dense(units: Int, activation: Activation, l2: Float?)

    /// A new, unbuilt layer with this configuration.
    public func makeLayer() -> any Layer {
        switch self {
        case .flatten:
            return Flatten()
        case let .dense(units, activation, l2):
            return Dense(units: units, activation: activation, kernelRegularizer: l2.map(L2.init))
        }
    }
}
