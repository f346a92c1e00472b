/// An element-wise (or, for softmax, row-wise) activation applied after a layer's product
/// (the engine's `apply` and `backward` compute it).
public enum Activation: String, Sendable, Codable, CaseIterable {
    case linear
    case relu
    case softmax
}
