import COpenBLAS

/// OpenBLAS as a yardstick for `bench`: the engine computes none of its numbers with it.
public enum OpenBLAS {
    /// C ← A · B for square n × n matrices with OpenBLAS's own threading over `threads` cores:
    /// the machine's ceiling as a plain BLAS user gets it.
    public static func squareProduct(n: Int, threads: Int, a: UnsafePointer<Float>,
                                     b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>) {
        openblas_set_num_threads(Int32(threads))
        defer { openblas_set_num_threads(1) }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, blasint(n), blasint(n), blasint(n),
                    1, a, blasint(n), b, blasint(n), 0, c, blasint(n))
    }

    /// The kernel set OpenBLAS chose for this process, as it names it ("SkylakeX", "Haswell", "Zen", …).
    public static var coreName: String { String(cString: openblas_get_corename()) }

    /// OpenBLAS's version and the options it was built with, as it reports them
    /// ("OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64").
    public static var configuration: String {
        let text = String(cString: openblas_get_config())
        return String(text.reversed().drop { $0 == " " }.reversed())
    }
}

extension OpenBLAS {
    /// Kernel sets that use neither AVX2 nor AVX-512: OpenBLAS's fallbacks for CPUs it does not know.
    static let legacy: Set<String> = ["prescott", "core2", "penryn", "dunnington", "nehalem", "atom",
                                      "katmai", "coppermine", "northwood", "banias", "sandybridge"]

    /// The kernel set to ask for instead of `current`, or nil when `current` already fits the CPU.
    ///
    /// - Parameter cpuFlags: the CPU's feature flags as Linux lists them in /proc/cpuinfo
    ///   ("avx2", "fma", "avx512f", …).
    public static func better(than current: String, cpuFlags: Set<String>) -> String? {
        guard legacy.contains(current.lowercased()) else { return nil }
        if cpuFlags.isSuperset(of: ["avx512f", "avx512dq", "avx512bw", "avx512vl", "avx512cd"]) { return "SkylakeX" }
        if cpuFlags.isSuperset(of: ["avx2", "fma"]) { return "Haswell" }
        return nil
    }
}
