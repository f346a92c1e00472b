/// Matching a file's tensor names to a model's weights.
///
/// Keras names a layer after its kind and numbers it per process: the first Dense layer of a
/// session is `dense`, the next `dense_1`, and a model built after three others has `dense_3`,
/// `dense_4`, `dense_5`. A file written by such a model holds the same weights under other
/// names. When the names do not match exactly, they are matched as Keras's own weight files
/// are: by layer kind (the name without its `_N` number) and order (the number), the i-th Dense
/// layer of the file to the i-th Dense layer of the model; every weight name inside a layer
/// (`kernel`, `bias`, `moving_mean`) and every shape must then agree.
extension SafeTensors {
    /// How a file's names were matched to the model's.
    public enum NameMatching: Equatable, Sendable, CustomStringConvertible {
        /// Every tensor under the model's own name.
        case exact
        /// Layers matched by kind and order, file layer → model layer, in the model's order.
        case byKindAndOrder([Pair])

        public struct Pair: Equatable, Sendable {
            public var file: String
            public var model: String
            public init(file: String, model: String) { (self.file, self.model) = (file, model) }
        }

        public var description: String {
            switch self {
            case .exact: return "the file's names are the model's"
            case let .byKindAndOrder(pairs):
                return "layers matched by kind and order (as Keras numbers them per session): "
                    + pairs.map { "\($0.file) → \($0.model)" }.joined(separator: ", ")
            }
        }
    }

    /// One layer's weights as the model expects them.
    struct ExpectedLayer {
        var name: String
        var weights: [(name: String, shape: [Int])]
    }

    /// The file's tensor name for each of the model's (`layer/weight`), and how they were matched.
    /// - Throws: `Failure` naming the first tensor that is missing, extra or of the wrong shape,
    ///   or `layerMismatch` when kinds or counts of layers disagree.
    static func match(_ file: File, expected: [ExpectedLayer]) throws -> (names: [String: String], matching: NameMatching) {
        let wanted = expected.flatMap { layer in layer.weights.map { ("\(layer.name)/\($0.name)", $0.shape) } }
        let exact = Set(wanted.map(\.0)) == Set(file.tensors.keys)
        if exact {
            for (name, shape) in wanted where file.tensors[name]!.shape != shape {
                throw Failure.wrongShape(name: name, expected: shape, found: file.tensors[name]!.shape)
            }
            return (Dictionary(uniqueKeysWithValues: wanted.map { ($0.0, $0.0) }), .exact)
        }
        // Every name of the model is there: the others are extra, whatever their layers.
        if let extra = file.tensors.keys.sorted().first(where: { !Set(wanted.map(\.0)).contains($0) }),
           wanted.allSatisfy({ file.tensors[$0.0] != nil }) {
            throw Failure.unexpectedTensor(name: extra)
        }
        // The file's layers: the part of each name before the last "/", grouped by kind.
        var fileLayers: [String: Set<String>] = [:]
        for name in file.tensors.keys {
            guard let slash = name.lastIndex(of: "/") else { throw Failure.unexpectedTensor(name: name) }
            fileLayers[String(name[..<slash]), default: []].insert(String(name[name.index(after: slash)...]))
        }
        let modelLayers = expected.filter { !$0.weights.isEmpty }
        func byKind(_ names: [String]) -> [String: [String]] {
            Dictionary(grouping: names, by: { kind($0).kind }).mapValues { $0.sorted { kind($0).number < kind($1).number } }
        }
        let fileKinds = byKind(Array(fileLayers.keys)), modelKinds = byKind(modelLayers.map(\.name))
        guard fileKinds.mapValues(\.count) == modelKinds.mapValues(\.count) else {
            throw Failure.layerMismatch(file: fileLayers.keys.sorted { order($0, $1) }, model: modelLayers.map(\.name))
        }
        var names: [String: String] = [:], pairs: [NameMatching.Pair] = []
        for layer in modelLayers {
            let k = kind(layer.name).kind
            let index = modelKinds[k]!.firstIndex(of: layer.name)!
            let fileLayer = fileKinds[k]![index]
            pairs.append(.init(file: fileLayer, model: layer.name))
            let fileWeights = fileLayers[fileLayer] ?? []
            if let extra = fileWeights.sorted().first(where: { w in !layer.weights.contains { $0.name == w } }) {
                throw Failure.unexpectedTensor(name: "\(fileLayer)/\(extra)")
            }
            for weight in layer.weights {
                let name = "\(fileLayer)/\(weight.name)"
                guard let tensor = file.tensors[name] else {
                    throw Failure.missingTensor(name: name, available: file.tensors.keys.sorted())
                }
                guard tensor.shape == weight.shape else {
                    throw Failure.wrongShape(name: "\(name) (for \(layer.name)/\(weight.name))", expected: weight.shape, found: tensor.shape)
                }
                names["\(layer.name)/\(weight.name)"] = name
            }
        }
        return (names, .byKindAndOrder(pairs))
    }

    /// `dense_4` → ("dense", 4); `dense` → ("dense", 0); `conv2d_1` → ("conv2d", 1).
    static func kind(_ layer: String) -> (kind: String, number: Int) {
        if let underscore = layer.lastIndex(of: "_"), let number = Int(layer[layer.index(after: underscore)...]), number >= 0 {
            return (String(layer[..<underscore]), number)
        }
        return (layer, 0)
    }

    /// Layer names in Keras's order: by kind, then by number.
    static func order(_ a: String, _ b: String) -> Bool {
        let (x, y) = (kind(a), kind(b))
        return (x.kind, x.number) < (y.kind, y.number)
    }
}
