import Dispatch
import NeuralEngine

/// Measurements of the engine and the machine, for the `bench` command.
public enum Benchmarks {
    /// The median GFLOP/s of five `size`³ single-precision products.
    public static func sgemmGFLOPS(size: Int, repeats: Int = 5) -> Double {
        var generator = SeededGenerator(seed: 7)
        let a = GlorotUniform.tensor(shape: [size, size], fanIn: size, fanOut: size, using: &generator)
        let b = GlorotUniform.tensor(shape: [size, size], fanIn: size, fanOut: size, using: &generator)
        var c = Tensor(repeating: 0, shape: [size, size])
        _ = matmul(a, b, into: &c) // warm-up: thread pool start, page faults
        let rates = (0..<repeats).map { _ in
            2 * Double(size) * Double(size) * Double(size) / matmul(a, b, into: &c) / 1e9
        }
        return rates.sorted()[repeats / 2]
    }

    /// Seconds for c = a · b.
    static func matmul(_ a: Tensor, _ b: Tensor, into c: inout Tensor) -> Double {
        let n = a.shape[0]
        let start = DispatchTime.now().uptimeNanoseconds
        a.scalars.withUnsafeBufferPointer { a in
            b.scalars.withUnsafeBufferPointer { b in
                c.scalars.withUnsafeMutableBufferPointer { c in
                    BLAS.referenceSquareProduct(n: n, threads: computeThreads, a: a.baseAddress!, b: b.baseAddress!, c: c.baseAddress!)
                }
            }
        }
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// The floating-point operations of one epoch's matrix products: for each training item the
    /// forward product and, backward, the kernel gradient and (except for the first trainable
    /// layer, as `Sequential.backward` skips it) the input gradient; for each validation item
    /// the forward product alone.
    public static func epochFLOPs(model: Sequential, trainItems: Int, testItems: Int) -> Double {
        var forward = 0.0, backward = 0.0
        let first = model.firstTrainableIndex
        for (index, layer) in model.layers.enumerated() {
            let macs = Double(layer.multiplyAccumulatesPerItem)
            forward += 2 * macs
            backward += 2 * macs * (index == first ? 1 : 2)
        }
        return Double(trainItems) * (forward + backward) + Double(testItems) * forward
    }
}
