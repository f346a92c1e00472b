import Foundation

/// Reading and writing model weights as safetensors: an 8-byte little-endian header length N,
/// N bytes of JSON naming each tensor's dtype, shape and byte range, then the raw
/// little-endian data. Tensors are named as Keras names its weights (`dense/kernel`,
/// `conv2d_1/bias`) and laid out as Keras does (Dense kernel (in, out), Conv2D kernel
/// (kh, kw, in, out)), so weights exported from Keras under those names load here.
/// The header's `__metadata__` carries the architecture, so a file alone rebuilds its model.
public enum SafeTensors {
    /// What can be wrong with a weights file; every case says where.
    public enum Failure: Error, CustomStringConvertible, Equatable {
        case truncated(String)
        case notSafeTensors(String)
        case badHeader(String)
        case missingTensor(name: String, available: [String])
        case unexpectedTensor(name: String)
        case wrongShape(name: String, expected: [Int], found: [Int])
        case wrongDType(name: String, found: String)
        case badOffsets(name: String, detail: String)
        case noArchitecture
        case badArchitecture(String)

        public var description: String {
            switch self {
            case let .truncated(detail): return "truncated file: \(detail)"
            case let .notSafeTensors(detail): return "not a safetensors file: \(detail)"
            case let .badHeader(detail): return "bad header: \(detail)"
            case let .missingTensor(name, available):
                return "tensor \"\(name)\" is missing (the file has: \(available.joined(separator: ", ")))"
            case let .unexpectedTensor(name): return "tensor \"\(name)\" does not belong to this model"
            case let .wrongShape(name, expected, found):
                return "tensor \"\(name)\" has shape \(found), the model expects \(expected)"
            case let .wrongDType(name, found): return "tensor \"\(name)\" has dtype \(found), expected F32"
            case let .badOffsets(name, detail): return "tensor \"\(name)\": \(detail)"
            case .noArchitecture:
                return "the file carries no architecture in its metadata; name the model it belongs to"
            case let .badArchitecture(detail): return "the architecture in the metadata cannot be read: \(detail)"
            }
        }
    }

    /// The architecture stored in a file's metadata.
    public struct Architecture: Codable, Equatable, Sendable {
        public var inputShape: [Int]
        public var layers: [LayerConfiguration]
        public init(inputShape: [Int], layers: [LayerConfiguration]) { (self.inputShape, self.layers) = (inputShape, layers) }
    }

    /// The file's bytes for `model`'s weights, with its architecture and `metadata` in the header.
    public static func encode(_ model: Sequential, metadata: [String: String] = [:]) throws -> [UInt8] {
        var header: [String: Any] = [:]
        var data: [UInt8] = []
        for layer in model.layers {
            for parameter in layer.parameters {
                let start = data.count
                for value in parameter.value.scalars {
                    withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) }
                }
                header["\(layer.name)/\(parameter.name)"] = [
                    "dtype": "F32", "shape": parameter.value.shape, "data_offsets": [start, data.count],
                ] as [String: Any]
            }
        }
        let architecture = Architecture(inputShape: model.inputShape, layers: model.configurations)
        var meta = metadata
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]   // the same bytes in every process: the file's hash identifies the weights
        meta["architecture"] = String(decoding: try encoder.encode(architecture), as: UTF8.self)
        meta["format"] = "mnist-report"
        header["__metadata__"] = meta
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        // Pad the header with spaces to a multiple of 8 bytes, as the format recommends.
        while json.count % 8 != 0 { json.append(0x20) }
        var bytes = withUnsafeBytes(of: UInt64(json.count).littleEndian) { Array($0) }
        bytes += json
        bytes += data
        return bytes
    }

    /// A parsed file: its tensors by name and its metadata.
    public struct File {
        public var tensors: [String: Tensor]
        public var metadata: [String: String]

        /// The architecture recorded in the metadata.
        public func architecture() throws -> Architecture {
            guard let text = metadata["architecture"] else { throw Failure.noArchitecture }
            do {
                return try JSONDecoder().decode(Architecture.self, from: Data(text.utf8))
            } catch {
                throw Failure.badArchitecture(String(describing: error))
            }
        }
    }

    /// Parses `bytes`, checking every bound before reading: never reads outside the buffer.
    public static func decode(_ bytes: [UInt8]) throws -> File {
        guard bytes.count >= 8 else { throw Failure.truncated("\(bytes.count) bytes, shorter than the 8-byte header length") }
        // The format requires the JSON header to begin with "{" right after the length field.
        guard bytes.count == 8 || bytes[8] == UInt8(ascii: "{") else {
            let start = bytes.prefix(12).map { String(format: "%02x", $0) }.joined(separator: " ")
            throw Failure.notSafeTensors("after the 8-byte length, a JSON header opening with \"{\" should follow; the file starts \(start)")
        }
        let length = bytes[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard length <= UInt64(bytes.count - 8) else {
            throw Failure.truncated("the header claims \(length) bytes but only \(bytes.count - 8) follow")
        }
        let dataStart = 8 + Int(length)
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(bytes[8..<dataStart]))
        } catch {
            throw Failure.badHeader("not valid JSON (\(error.localizedDescription))")
        }
        guard let header = object as? [String: Any] else { throw Failure.badHeader("not a JSON object") }
        var metadata: [String: String] = [:]
        if let meta = header["__metadata__"] {
            guard let strings = meta as? [String: String] else { throw Failure.badHeader("__metadata__ must map strings to strings") }
            metadata = strings
        }
        let dataSize = bytes.count - dataStart
        var tensors: [String: Tensor] = [:]
        for (name, entry) in header where name != "__metadata__" {
            guard let info = entry as? [String: Any] else { throw Failure.badHeader("entry \"\(name)\" is not an object") }
            guard let dtype = info["dtype"] as? String else { throw Failure.badHeader("entry \"\(name)\" has no dtype") }
            guard dtype == "F32" else { throw Failure.wrongDType(name: name, found: dtype) }
            guard let shape = (info["shape"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.intValue }),
                  shape.count == (info["shape"] as? [Any])?.count, shape.allSatisfy({ $0 >= 0 }) else {
                throw Failure.badHeader("entry \"\(name)\" has no valid shape")
            }
            guard let offsets = (info["data_offsets"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.intValue }),
                  offsets.count == 2 else {
                throw Failure.badHeader("entry \"\(name)\" has no valid data_offsets")
            }
            let (begin, end) = (offsets[0], offsets[1])
            guard begin >= 0, begin <= end, end <= dataSize else {
                throw Failure.badOffsets(name: name, detail: "data_offsets [\(begin), \(end)] fall outside the \(dataSize) data bytes")
            }
            let count = shape.reduce(1, *)
            guard end - begin == count * 4 else {
                throw Failure.badOffsets(name: name, detail: "\(end - begin) bytes for shape \(shape), expected \(count * 4)")
            }
            let values = (0..<count).map { i -> Float in
                let at = dataStart + begin + 4 * i
                let bits = UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
                return Float(bitPattern: bits)
            }
            tensors[name] = Tensor(shape: shape, scalars: values)
        }
        return File(tensors: tensors, metadata: metadata)
    }

    /// Copies the file's tensors into a built `model`, after checking that every weight the
    /// model has is present with the right shape and that the file has nothing else.
    public static func load(_ file: File, into model: Sequential) throws {
        var expected: [(String, Parameter)] = []
        for layer in model.layers {
            for parameter in layer.parameters { expected.append(("\(layer.name)/\(parameter.name)", parameter)) }
        }
        let names = Set(expected.map(\.0))
        if let extra = file.tensors.keys.sorted().first(where: { !names.contains($0) }) {
            throw Failure.unexpectedTensor(name: extra)
        }
        for (name, parameter) in expected {
            guard let tensor = file.tensors[name] else {
                throw Failure.missingTensor(name: name, available: file.tensors.keys.sorted())
            }
            guard tensor.shape == parameter.value.shape else {
                throw Failure.wrongShape(name: name, expected: parameter.value.shape, found: tensor.shape)
            }
        }
        for (name, parameter) in expected { parameter.value = file.tensors[name]! }
    }

    /// The model a file describes (from its metadata), built and filled with its weights.
    public static func model(from file: File) throws -> Sequential {
        let architecture = try file.architecture()
        guard !architecture.layers.isEmpty else { throw Failure.badArchitecture("it lists no layer") }
        for (index, layer) in architecture.layers.enumerated() {
            if let problem = layer.problem { throw Failure.badArchitecture("layer \(index + 1): \(problem)") }
        }
        let model = Sequential(configurations: architecture.layers)
        var unused = SeededGenerator(seed: 0)
        do {
            try model.build(inputShape: architecture.inputShape, using: &unused)
        } catch {
            throw Failure.badArchitecture(String(describing: error))
        }
        try load(file, into: model)
        return model
    }
}
