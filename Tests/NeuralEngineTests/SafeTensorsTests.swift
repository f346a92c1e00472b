import Foundation
import NeuralEngine
import Testing

@Suite("Saved models (safetensors)")
struct SafeTensorsTests {
    static func smallCNN(seed: UInt64) throws -> Sequential {
        let model = Sequential([
            Conv2D(filters: 2, kernelSize: 3, activation: .relu), MaxPooling2D(poolSize: 2), Flatten(),
            Dense(units: 5, activation: .relu, kernelRegularizer: L2(1e-4)), Dropout(rate: 0.5), Dense(units: 3, activation: .softmax),
        ])
        var generator = SeededGenerator(seed: seed)
        try model.build(inputShape: [6, 6, 1], using: &generator)
        return model
    }

    @Test func saveThenLoadGivesIdenticalPredictions() throws {
        let model = try Self.smallCNN(seed: 1)
        let bytes = try SafeTensors.encode(model)
        let restored = try SafeTensors.model(from: SafeTensors.decode(bytes))
        var generator = SeededGenerator(seed: 2)
        let x = randomTensor(shape: [4, 6, 6, 1], using: &generator)
        #expect(try restored.predict(x) == model.predict(x))
        #expect(restored.configurations == model.configurations)
    }

    @Test func namesAndLayoutsAreKeras() throws {
        let file = try SafeTensors.decode(SafeTensors.encode(try Self.smallCNN(seed: 1)))
        #expect(Set(file.tensors.keys) == ["conv2d/kernel", "conv2d/bias", "dense/kernel", "dense/bias", "dense_1/kernel", "dense_1/bias"])
        #expect(file.tensors["conv2d/kernel"]?.shape == [3, 3, 1, 2])
        #expect(file.tensors["dense/kernel"]?.shape == [8, 5])
    }

    /// Rewrites the JSON header of a valid file through `edit`.
    func editedHeader(_ edit: (inout [String: Any]) -> Void) throws -> [UInt8] {
        let bytes = try SafeTensors.encode(try Self.smallCNN(seed: 1))
        let length = Int(bytes[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) })
        var header = try JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + length)])) as! [String: Any]
        edit(&header)
        let json = try JSONSerialization.data(withJSONObject: header)
        return withUnsafeBytes(of: UInt64(json.count).littleEndian) { Array($0) } + json + bytes[(8 + length)...]
    }

    @Test func aWrongShapeIsRejectedByName() throws {
        let bytes = try editedHeader { header in
            var entry = header["dense/kernel"] as! [String: Any]
            entry["shape"] = [5, 8]
            header["dense/kernel"] = entry
        }
        let file = try SafeTensors.decode(bytes)
        let model = try Self.smallCNN(seed: 3)
        #expect(throws: SafeTensors.Failure.wrongShape(name: "dense/kernel", expected: [8, 5], found: [5, 8])) {
            try SafeTensors.load(file, into: model)
        }
    }

    /// Renames the file's layers as Keras numbers them in a session that built other models first.
    func renamed(_ names: [String: String]) throws -> [UInt8] {
        try editedHeader { header in
            for (key, value) in header where key != "__metadata__" {
                guard let slash = key.lastIndex(of: "/"), let new = names[String(key[..<slash])] else { continue }
                header.removeValue(forKey: key)
                header[new + key[slash...]] = value
            }
        }
    }

    @Test func kerasPerSessionNumbersAreMatchedByKindAndOrder() throws {
        let bytes = try renamed(["conv2d": "conv2d_7", "dense": "dense_3", "dense_1": "dense_4"])
        let file = try SafeTensors.decode(bytes)
        let (restored, matching) = try SafeTensors.modelAndMatching(from: file)
        #expect(matching == .byKindAndOrder([.init(file: "conv2d_7", model: "conv2d"), .init(file: "dense_3", model: "dense"),
                                             .init(file: "dense_4", model: "dense_1")]))
        #expect(matching.description.contains("dense_3 → dense, dense_4 → dense_1"))
        let original = try Self.smallCNN(seed: 1)
        var generator = SeededGenerator(seed: 2)
        let x = randomTensor(shape: [4, 6, 6, 1], using: &generator)
        #expect(try restored.predict(x) == original.predict(x))
        // The same into a model given by the caller, and the exact names still match exactly.
        let given = try Self.smallCNN(seed: 9)
        #expect(try SafeTensors.load(file, into: given) != .exact)
        #expect(try SafeTensors.load(SafeTensors.decode(SafeTensors.encode(original)), into: given) == .exact)
    }

    @Test func layersThatDifferInKindOrNumberAreRefused() throws {
        // The order of the numbers decides: dense_4 is the model's first Dense layer here, and its shape is wrong.
        let swapped = try SafeTensors.decode(renamed(["dense": "dense_9", "dense_1": "dense_4"]))
        let error = try #require(throws: SafeTensors.Failure.self) { try SafeTensors.load(swapped, into: Self.smallCNN(seed: 3)) }
        guard case let .wrongShape(name, expected, found) = error else { Issue.record("got \(error)"); return }
        #expect(name == "dense_4/kernel (for dense/kernel)" && expected == [8, 5] && found == [5, 3])
        // A Dense layer named like a convolution: the kinds differ.
        let wrongKind = try SafeTensors.decode(renamed(["dense_1": "conv2d_1"]))
        let mismatch = try #require(throws: SafeTensors.Failure.self) { try SafeTensors.load(wrongKind, into: Self.smallCNN(seed: 3)) }
        guard case .layerMismatch = mismatch else { Issue.record("got \(mismatch)"); return }
        #expect(mismatch.description.contains("conv2d, conv2d_1, dense") && mismatch.description.contains("cannot be matched"))
    }

    @Test func aMissingTensorIsRejectedByName() throws {
        // The last tensor's entry and its bytes both gone, so that the rest still tiles the data.
        var size = 0
        let bytes = Array(try editedHeader { header in
            let offsets = (header["dense_1/bias"] as! [String: Any])["data_offsets"] as! [Int]
            size = offsets[1] - offsets[0]
            header.removeValue(forKey: "dense_1/bias")
        }.dropLast(size))
        let error = try #require(throws: SafeTensors.Failure.self) { try SafeTensors.model(from: SafeTensors.decode(bytes)) }
        guard case let .missingTensor(name, _) = error else { Issue.record("got \(error)"); return }
        #expect(name == "dense_1/bias")
        #expect(error.description.contains("dense_1/bias"))
    }

    @Test func corruptedFilesAreRejectedWithoutReadingOutOfBounds() throws {
        let good = try SafeTensors.encode(try Self.smallCNN(seed: 1))
        // Truncated inside the data.
        #expect(throws: SafeTensors.Failure.self) { try SafeTensors.decode(Array(good.dropLast(10))) }
        // Shorter than the length field.
        #expect(throws: SafeTensors.Failure.self) { try SafeTensors.decode([1, 2, 3]) }
        // A header length past the end of the file.
        var huge = good
        huge.replaceSubrange(0..<8, with: withUnsafeBytes(of: UInt64(1 << 40).littleEndian) { Array($0) })
        #expect(throws: SafeTensors.Failure.self) { try SafeTensors.decode(huge) }
        // Bad JSON.
        var garbled = good
        garbled[9] = UInt8(ascii: "#")
        let error = try #require(throws: SafeTensors.Failure.self) { try SafeTensors.decode(garbled) }
        #expect(error.description.contains("JSON"))
        // Another kind of file altogether (a PNG's signature and first chunk).
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]
        let foreign = try #require(throws: SafeTensors.Failure.self) { try SafeTensors.decode(png) }
        #expect(foreign.description.hasPrefix("not a safetensors file"))
        #expect(foreign.description.contains("89 50 4e 47"))
        // Offsets past the data.
        let outside = try editedHeader { header in
            var entry = header["conv2d/bias"] as! [String: Any]
            entry["data_offsets"] = [0, 1_000_000]
            header["conv2d/bias"] = entry
        }
        #expect(throws: SafeTensors.Failure.self) { try SafeTensors.decode(outside) }
        // Another dtype.
        let half = try editedHeader { header in
            var entry = header["conv2d/bias"] as! [String: Any]
            entry["dtype"] = "F16"
            header["conv2d/bias"] = entry
        }
        #expect(throws: SafeTensors.Failure.wrongDType(name: "conv2d/bias", found: "F16")) { try SafeTensors.decode(half) }
    }

    /// The three rules of the format's reference loader on the data section: the tensors' bytes
    /// follow one another from the first data byte, never overlap, and end with the file; and a
    /// name appears once. Each is refused by name.
    @Test func tensorsMustTileTheDataSectionUnderDistinctNames() throws {
        func offsets(_ name: String, of header: [String: Any]) -> [Int] { (header[name] as! [String: Any])["data_offsets"] as! [Int] }
        // Overlap: the second tensor starts inside the first (same lengths, so only the place is wrong).
        let overlapping = try editedHeader { header in
            let names = header.keys.filter { $0 != "__metadata__" }.sorted { offsets($0, of: header)[0] < offsets($1, of: header)[0] }
            let (first, second) = (offsets(names[0], of: header), offsets(names[1], of: header))
            var entry = header[names[1]] as! [String: Any]
            entry["data_offsets"] = [first[0] + 4, first[0] + 4 + second[1] - second[0]]
            header[names[1]] = entry
        }
        let overlap = try #require(throws: SafeTensors.Failure.self) { try SafeTensors.decode(overlapping) }
        #expect(overlap.description.contains("overlap"), "\(overlap)")
        // Bytes after the last tensor.
        let good = try SafeTensors.encode(try Self.smallCNN(seed: 1))
        var trailing = good + [0, 0, 0, 0]
        let after = try #require(throws: SafeTensors.Failure.self) { try SafeTensors.decode(trailing) }
        #expect(after.description.contains("nothing may follow the last tensor"), "\(after)")
        // A name twice: the header's text repeats an entry (JSONSerialization cannot write that).
        let length = Int(good[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) })
        var json = String(decoding: good[8..<(8 + length)], as: UTF8.self)
        let entry = try #require(json.range(of: #""conv2d\\?/bias":\{[^}]*\}"#, options: .regularExpression))
        json.insert(contentsOf: json[entry] + ",", at: entry.lowerBound)
        let header = Array(json.utf8)
        trailing = withUnsafeBytes(of: UInt64(header.count).littleEndian) { Array($0) } + header + good[(8 + length)...]
        let twice = try #require(throws: SafeTensors.Failure.self) { try SafeTensors.decode(trailing) }
        #expect(twice.description.contains("appears twice"), "\(twice)")
        // The file as written passes.
        _ = try SafeTensors.decode(good)
    }

    @Test func anImpossibleArchitectureIsRejectedNotTrapped() throws {
        let bytes = try editedHeader { header in
            var meta = header["__metadata__"] as! [String: String]
            meta["architecture"] = #"{"inputShape":[6,6,1],"layers":[{"dense":{"units":0,"activation":"relu"}}]}"#
            header["__metadata__"] = meta
        }
        let error = try #require(throws: SafeTensors.Failure.self) { try SafeTensors.model(from: SafeTensors.decode(bytes)) }
        #expect(error.description.contains("units must be positive"))
    }

    @Test func aFileWithoutArchitectureLoadsIntoAGivenModel() throws {
        let source = try Self.smallCNN(seed: 4)
        let bytes = try editedHeader { $0.removeValue(forKey: "__metadata__") }
        let file = try SafeTensors.decode(bytes)
        #expect(throws: SafeTensors.Failure.noArchitecture) { try SafeTensors.model(from: file) }
        let target = try Self.smallCNN(seed: 4)
        try SafeTensors.load(file, into: target)
        _ = source
    }

    /// A file whose metadata holds `architecture` (JSON), with the small model's weights.
    func withArchitecture(_ architecture: String) throws -> [UInt8] {
        try editedHeader { header in
            var meta = header["__metadata__"] as! [String: String]
            meta["architecture"] = architecture
            header["__metadata__"] = meta
        }
    }

    /// The message `SafeTensors.model(from:)` stops with on `bytes`.
    func refusal(_ bytes: [UInt8]) throws -> String {
        try #require(throws: SafeTensors.Failure.self) { try SafeTensors.model(from: SafeTensors.decode(bytes)) }.description
    }

    // Crafted files that reached out-of-bounds reads and heap overflows in the unchecked build.

    @Test func aShapeWhoseByteCountWrapsAroundIsRefused() throws {
        let bytes = try editedHeader { header in
            var entry = header["conv2d/bias"] as! [String: Any]
            entry["shape"] = [1 << 62, 4]   // 2^64 bytes: 0 after wrapping
            entry["data_offsets"] = [0, 0]
            header["conv2d/bias"] = entry
        }
        #expect(try refusal(bytes).contains("more than the 134217728 values accepted"))
    }

    @Test func unitsOfIntMaxAndOfATrillionAreRefusedByName() throws {
        for units in [Int.max, 1_000_000_000_000] {
            let message = try refusal(try withArchitecture(
                #"{"inputShape":[6,6,1],"layers":[{"flatten":{}},{"dense":{"units":\#(units),"activation":"softmax"}}]}"#))
            #expect(message.contains("layer 2 (Dense): units is \(units), more than the 65536 accepted"), "\(message)")
        }
    }

    @Test func aKernelSizeWhoseArithmeticWrapsIsRefused() throws {
        // 2^31 × 2^31 × 1 × 4 wraps to 0 in 64 bits: every later check would pass.
        let message = try refusal(try withArchitecture(
            #"{"inputShape":[6,6,1],"layers":[{"conv2D":{"filters":4,"kernelSize":2147483648,"strides":1,"padding":"same","activation":"relu"}}]}"#))
        #expect(message.contains("layer 1 (Conv2D): kernel size is 2147483648, more than the 1024 accepted"), "\(message)")
    }

    @Test func hugeInputsAndActivationsAreRefusedBeforeAllocation() throws {
        let input = try refusal(try withArchitecture(
            #"{"inputShape":[9223372036854775807,2,1],"layers":[{"flatten":{}}]}"#))
        #expect(input.contains("input shape"), "\(input)")
        let padded = try refusal(try withArchitecture(
            #"{"inputShape":[6,6,1],"layers":[{"zeroPadding2D":{"padding":1000}},{"zeroPadding2D":{"padding":1000}},{"conv2D":{"filters":4096,"kernelSize":1,"strides":1,"padding":"valid","activation":"relu"}}]}"#))
        #expect(padded.contains("values per item"), "\(padded)")
    }

    @Test func decodingErrorsNameThePathWithoutTypeNames() throws {
        let message = try refusal(try withArchitecture(
            #"{"inputShape":[6,6,1],"layers":[{"conv2D":{"filters":4,"kernelSize":3,"strides":1,"padding":"sideways","activation":"relu"}}]}"#))
        #expect(message.contains("layers[0].conv2D.padding"), "\(message)")
        #expect(message.contains(#"expected one of valid, same, found a string ("sideways")"#), "\(message)")
        let shape = try editedHeader { header in
            var entry = header["conv2d/bias"] as! [String: Any]
            entry["shape"] = ["two"]
            header["conv2d/bias"] = entry
        }
        #expect(try refusal(shape).contains(#"conv2d/bias.shape[0]: expected a whole number, found a string ("two")"#))
        // Not JSON at all: where the parser stopped.
        let garbled = try refusal(try withArchitecture(#"{"inputShape":[6,6,1],"layers":[{"flatten":{}}"#))
        #expect(garbled.contains("not valid JSON ("), "\(garbled)")
    }

    @Test func nonFiniteWeightsAreRefused() throws {
        let model = try Self.smallCNN(seed: 1)
        model.layers[3].parameters[1].value.scalars[2] = .nan
        let message = try refusal(try SafeTensors.encode(model))
        #expect(message == "tensor \"dense/bias\" holds nan at index 2; a model's weights must be finite numbers")
    }

    /// Within every size bound, yet hours of arithmetic per image: refused too.
    @Test func aModelThatWouldComputeForHoursIsRefused() throws {
        let message = try refusal(try withArchitecture(
            #"{"inputShape":[1024,1024,1],"layers":[{"conv2D":{"filters":16,"kernelSize":64,"strides":1,"padding":"same","activation":"relu"}}]}"#))
        #expect(message.contains("multiply-accumulates per item accepted"), "\(message)")
        // LeNet-5's shapes pass.
        let lenet: [LayerConfiguration] = [
            .zeroPadding2D(padding: 2), .conv2D(filters: 6, kernelSize: 5, strides: 1, padding: .valid, activation: .relu, l2: nil),
            .averagePooling2D(poolSize: 2, strides: 2),
            .conv2D(filters: 16, kernelSize: 5, strides: 1, padding: .valid, activation: .relu, l2: nil),
            .averagePooling2D(poolSize: 2, strides: 2), .flatten,
            .dense(units: 120, activation: .relu, l2: 1e-4), .dense(units: 84, activation: .relu, l2: 1e-4),
            .dense(units: 10, activation: .softmax, l2: nil),
        ]
        let checked = try ArchitectureLimits.standard.check(lenet, inputShape: [28, 28, 1])
        #expect(checked.outputShape == [10])
        #expect(checked.parameters == 61_706)
    }

    /// Found by fuzzing: a Dense layer of 2047 × 65536 (within the bounds) in a file of a few
    /// bytes made `model(from:)` allocate and initialise 512 MiB before noticing the weights
    /// were missing. The weight count is now compared first.
    @Test func anArchitectureLargerThanItsWeightsIsRefusedBeforeBuilding() throws {
        let message = try refusal(try withArchitecture(
            #"{"inputShape":[2047],"layers":[{"dense":{"units":65536,"activation":"relu"}}]}"#))
        #expect(message == "tensor \"conv2d/bias\" does not belong to this model", "\(message)")
    }
}
