/// A path's parent and last component, computed on its text as `NSString`'s
/// `deletingLastPathComponent` and `lastPathComponent` define them ("a/b" → "a" and "b", "b" →
/// "" and "b", "/b" → "/" and "b", trailing slashes ignored). Foundation's own calls crash on a
/// one-character path ("d", "d/") in swift-corelibs-foundation, and users name folders `d`.
public enum PathText {
    /// The path without its trailing slashes (but "/" stays "/").
    static func trimmed(_ path: String) -> Substring {
        var text = Substring(path)
        while text.count > 1, text.hasSuffix("/") { text = text.dropLast() }
        return text
    }

    /// The path without its last component: "" for a single relative component, "/" for one
    /// under the root.
    public static func parent(_ path: String) -> String {
        let text = trimmed(path)
        guard text != "/", let slash = text.lastIndex(of: "/") else { return text == "/" ? "/" : "" }
        if slash == text.startIndex { return "/" }
        return String(trimmed(String(text[..<slash])))
    }

    /// The last component ("/" for the root, "" for an empty path).
    public static func last(_ path: String) -> String {
        let text = trimmed(path)
        guard text != "/", let slash = text.lastIndex(of: "/") else { return String(text) }
        return String(text[text.index(after: slash)...])
    }
}
