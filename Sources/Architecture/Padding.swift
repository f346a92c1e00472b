/// Padding of a convolution or pooling window, as Keras names it.
public enum Padding: String, Codable, Sendable, Hashable {
    /// No padding: only windows that fit entirely inside the input.
    case valid
    /// Zero padding so that the output has ⌈input / stride⌉ positions; the extra row or column
    /// goes at the bottom or right, as in Keras.
    case same

    /// Output size and the padding before the first position, for one spatial dimension.
    public func geometry(input: Int, kernel: Int, stride: Int) -> (output: Int, before: Int) {
        switch self {
        case .valid:
            return (input >= kernel ? (input - kernel) / stride + 1 : 0, 0)
        case .same:
            let output = (input + stride - 1) / stride
            let total = max((output - 1) * stride + kernel - input, 0)
            return (output, total / 2)
        }
    }
}
