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
    case batchNormalization(momentum: Float, epsilon: Float)
    case randomTranslation(height: Float, width: Float)
    case randomRotation(factor: Float)

    /// What is wrong with this configuration, or nil when a layer can be made from it
    /// (for configurations read from files, before `makeLayer` would stop on them).
    public var problem: String? {
        func positive(_ name: String, _ value: Int) -> String? { value > 0 ? nil : "\(name) must be positive, got \(value)" }
        func fraction(_ name: String, _ value: Float) -> String? { (0...1).contains(value) ? nil : "\(name) must lie in [0, 1], got \(value)" }
        func l2(_ f: Float?) -> String? { f.map { $0.isFinite && $0 >= 0 ? nil : "L2 factor must be finite and ≥ 0, got \($0)" } ?? nil }
        switch self {
        case .flatten: return nil
        case let .dense(units, _, f): return positive("Dense units", units) ?? l2(f)
        case let .conv2D(filters, kernel, strides, _, activation, f):
            return positive("Conv2D filters", filters) ?? positive("Conv2D kernel size", kernel) ?? positive("Conv2D strides", strides)
                ?? (activation == .softmax ? "Conv2D does not take a softmax activation" : nil) ?? l2(f)
        case let .zeroPadding2D(padding): return padding >= 0 ? nil : "ZeroPadding2D padding must be ≥ 0, got \(padding)"
        case let .averagePooling2D(pool, strides), let .maxPooling2D(pool, strides):
            return positive("pool size", pool) ?? positive("pooling strides", strides)
        case let .dropout(rate): return rate >= 0 && rate < 1 ? nil : "Dropout rate must lie in [0, 1), got \(rate)"
        case let .batchNormalization(momentum, epsilon):
            return fraction("BatchNormalization momentum", momentum)
                ?? (epsilon > 0 && epsilon.isFinite ? nil : "BatchNormalization epsilon must be positive, got \(epsilon)")
        case let .randomTranslation(height, width):
            return fraction("RandomTranslation height factor", height) ?? fraction("RandomTranslation width factor", width)
        case let .randomRotation(factor): return fraction("RandomRotation factor", factor)
        }
    }
}
