import Foundation

/// Reading and writing model weights as safetensors: an 8-byte little-endian header length N,
/// N bytes of JSON naming each tensor's dtype, shape and byte range, then the raw
/// little-endian data. Tensors are named as Keras names its weights (`dense/kernel`,
/// `conv2d_1/bias`, `batch_normalization/moving_mean`) and laid out as Keras does (Dense kernel
/// (in, out), Conv2D kernel (kh, kw, in, out)), so weights exported from Keras under those names
/// load here. Every weight is saved, the non-trainable moving statistics too.
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
        case nonFinite(name: String, index: Int, value: Float)
        case layerMismatch(file: [String], model: [String])

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
            case let .badArchitecture(detail): return "the architecture in the metadata cannot be used: \(detail)"
            case let .nonFinite(name, index, value):
                return "tensor \"\(name)\" holds \(value) at index \(index); a model's weights must be finite numbers"
            case let .layerMismatch(file, model):
                return "the file's layers (\(file.joined(separator: ", "))) are not the model's (\(model.joined(separator: ", "))) "
                    + "under other names: they differ in kind or number, so they cannot be matched by kind and order"
            }
        }
    }

    /// The largest model file read: the most parameters a model may have, plus room for its header.
    public static let maximumFileSize = ArchitectureLimits.standard.parameters * 4 + (16 << 20)

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
            for parameter in layer.weights {
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
                throw Failure.badArchitecture(JSONExplanation.explain(error, data: Data(text.utf8), fields: .architecture))
            }
        }
    }

    /// Parses `bytes`, checking every bound before reading: never reads outside the buffer, and
    /// computes every size with overflow-checked arithmetic before allocating it.
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
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: Data(bytes[8..<dataStart]))
        } catch {
            throw Failure.badHeader(JSONExplanation.explain(error, data: Data(bytes[8..<dataStart])))
        }
        if let duplicate = DuplicateKeys.first(in: Array(bytes[8..<dataStart])) { throw Failure.badHeader(duplicate) }
        let dataSize = bytes.count - dataStart
        var tensors: [String: Tensor] = [:]
        for (name, entry) in header.tensors {
            guard entry.dtype == "F32" else { throw Failure.wrongDType(name: name, found: entry.dtype) }
            let shape = entry.shape
            guard shape.count <= 8, shape.allSatisfy({ $0 >= 0 }) else {
                throw Failure.badHeader("entry \"\(name)\" has shape \(shape); expected at most 8 sizes, none negative")
            }
            var count = 1
            for size in shape {
                let (product, overflow) = count.multipliedReportingOverflow(by: size)
                guard !overflow, product <= ArchitectureLimits.standard.parameters else {
                    throw Failure.badHeader("entry \"\(name)\" has shape \(shape): more than the \(ArchitectureLimits.standard.parameters) values accepted")
                }
                count = product
            }
            guard entry.dataOffsets.count == 2 else {
                throw Failure.badHeader("entry \"\(name)\" has data_offsets \(entry.dataOffsets); expected two numbers [begin, end]")
            }
            let (begin, end) = (entry.dataOffsets[0], entry.dataOffsets[1])
            guard begin >= 0, begin <= end, end <= dataSize else {
                throw Failure.badOffsets(name: name, detail: "data_offsets [\(begin), \(end)] fall outside the \(dataSize) data bytes")
            }
            guard end - begin == count * 4 else {
                throw Failure.badOffsets(name: name, detail: "\(end - begin) bytes for shape \(shape), expected \(count * 4)")
            }
            let values = bytes.withUnsafeBytes { raw in
                (0..<count).map { i in Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: dataStart + begin + 4 * i, as: UInt32.self))) }
            }
            tensors[name] = Tensor(shape: shape, scalars: values)
        }
        // As the format's reference loader: the tensors' bytes tile the data section, from its
        // first byte to its last, without gaps or overlaps (and, above, one entry per name).
        var covered = 0
        for (name, entry) in header.tensors.sorted(by: { ($0.entry.dataOffsets.first ?? 0) < ($1.entry.dataOffsets.first ?? 0) }) {
            guard entry.dataOffsets.count == 2 else { continue }  // every entry has two, checked above
            guard entry.dataOffsets[0] == covered else {
                throw Failure.badOffsets(name: name, detail: entry.dataOffsets[0] < covered
                    ? "data_offsets \(entry.dataOffsets) overlap the tensor before, which ends at byte \(covered)"
                    : "data_offsets \(entry.dataOffsets) leave bytes \(covered) to \(entry.dataOffsets[0]) unused; tensors must follow one another")
            }
            covered = max(covered, entry.dataOffsets[1])
        }
        guard covered == dataSize else {
            throw Failure.badHeader("the tensors end at data byte \(covered) but \(dataSize) bytes follow the header; nothing may follow the last tensor")
        }
        return File(tensors: tensors, metadata: header.metadata)
    }

    /// The JSON header: `__metadata__` (strings to strings) and one entry per tensor.
    private struct Header: Decodable {
        var metadata: [String: String] = [:]
        var tensors: [(name: String, entry: Entry)] = []

        struct Entry: Decodable {
            var dtype: String
            var shape: [Int]
            var dataOffsets: [Int]
            enum CodingKeys: String, CodingKey { case dtype, shape, dataOffsets = "data_offsets" }
        }

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Key.self)
            for key in container.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) {
                if key.stringValue == "__metadata__" {
                    metadata = try container.decode([String: String].self, forKey: key)
                } else {
                    tensors.append((key.stringValue, try container.decode(Entry.self, forKey: key)))
                }
            }
        }
    }

    /// Copies the file's tensors into a built `model`, after checking that every weight the
    /// model has is present with the right shape and that the file has nothing else. Names that
    /// differ only in Keras's per-session numbering are matched by layer kind and order.
    /// - Returns: how the names were matched.
    @discardableResult
    public static func load(_ file: File, into model: Sequential) throws -> NameMatching {
        let expected = model.layers.map { layer in
            ExpectedLayer(name: layer.name, weights: layer.weights.map { ($0.name, $0.value.shape) })
        }
        let (names, matching) = try match(file, expected: expected)
        var pairs: [(Tensor, Parameter)] = []
        for layer in model.layers {
            for parameter in layer.weights {
                let name = names["\(layer.name)/\(parameter.name)"]!
                let tensor = file.tensors[name]!
                if let index = tensor.scalars.firstIndex(where: { !$0.isFinite }) {
                    throw Failure.nonFinite(name: name, index: index, value: tensor.scalars[index])
                }
                pairs.append((tensor, parameter))
            }
        }
        for (tensor, parameter) in pairs { parameter.value = tensor }
        return matching
    }

    /// The model a file describes (from its metadata), built and filled with its weights.
    public static func model(from file: File) throws -> Sequential { try modelAndMatching(from: file).model }

    /// The model a file describes, and how the file's names were matched to its weights.
    public static func modelAndMatching(from file: File) throws -> (model: Sequential, matching: NameMatching) {
        let architecture = try file.architecture()
        let checked: ArchitectureLimits.Checked
        do {
            checked = try ArchitectureLimits.standard.check(architecture.layers, inputShape: architecture.inputShape)
        } catch {
            throw Failure.badArchitecture(String(describing: error))
        }
        // Before the model is built (and allocated): the file must hold every weight the
        // architecture asks for, in its shape, so nothing larger than the file is ever allocated.
        let model = Sequential(configurations: architecture.layers)
        let expected = zip(model.layers, checked.weights).map { layer, weights in
            ExpectedLayer(name: layer.name, weights: weights.map { ($0.name, $0.shape) })
        }
        _ = try match(file, expected: expected)
        var unused = SeededGenerator(seed: 0)
        do {
            try model.build(inputShape: architecture.inputShape, using: &unused)
        } catch {
            throw Failure.badArchitecture(String(describing: error))
        }
        let matching = try load(file, into: model)
        return (model, matching)
    }
}
