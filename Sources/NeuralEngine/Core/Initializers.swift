/// Glorot (Xavier) uniform initialisation, Keras's default for kernels: values drawn
/// uniformly from [−limit, limit] with limit = √(6 / (fanIn + fanOut)).
public enum GlorotUniform {
    /// A tensor of `shape` drawn from the Glorot-uniform distribution for these fans.
    public static func tensor(shape: [Int], fanIn: Int, fanOut: Int,
                              using generator: inout some RandomNumberGenerator) -> Tensor {
        let limit = (6 / Float(fanIn + fanOut)).squareRoot()
        return Tensor(shape: shape) { out in
            for i in out.indices {
                out[i] = (2 * generator.nextUnitFloat() - 1) * limit
            }
        }
    }
}
