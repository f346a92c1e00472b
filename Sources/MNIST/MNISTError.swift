/// Everything that can be wrong with an MNIST file, each naming the file.
public enum MNISTError: Error, CustomStringConvertible, Equatable {
    case missingFile(path: String, directory: String)
    case unreadable(path: String, reason: String)
    case tooShort(path: String, bytes: Int)
    case wrongMagic(path: String, expected: UInt32, found: UInt32)
    case wrongDimensions(path: String, expected: String, found: [Int])
    case truncatedPayload(path: String, expectedBytes: Int, foundBytes: Int)
    case checksumMismatch(path: String, expected: String, found: String)
    case labelOutOfRange(path: String, index: Int, value: UInt8)
    case countMismatch(images: String, labels: String, imageCount: Int, labelCount: Int)

    public var description: String {
        switch self {
        case let .missingFile(path, directory):
            return "\(path): missing; expected it (or its .gz) in \(directory)"
        case let .unreadable(path, reason):
            return "\(path): cannot be read: \(reason)"
        case let .tooShort(path, bytes):
            return "\(path): only \(bytes) bytes, too short for an IDX header"
        case let .wrongMagic(path, expected, found):
            return "\(path): wrong magic number 0x\(String(found, radix: 16).leftPadded(to: 8)), expected 0x\(String(expected, radix: 16).leftPadded(to: 8))"
        case let .wrongDimensions(path, expected, found):
            return "\(path): wrong dimensions \(found.map(String.init).joined(separator: " × ")), expected \(expected)"
        case let .truncatedPayload(path, expectedBytes, foundBytes):
            return "\(path): truncated payload: expected \(expectedBytes) bytes of data after the header, found \(foundBytes)"
        case let .checksumMismatch(path, expected, found):
            return "\(path): SHA-256 of the uncompressed bytes is \(found), expected \(expected)"
        case let .labelOutOfRange(path, index, value):
            return "\(path): label \(value) at index \(index) is outside 0–9"
        case let .countMismatch(images, labels, imageCount, labelCount):
            return "\(images) holds \(imageCount) images but \(labels) holds \(labelCount) labels"
        }
    }
}
