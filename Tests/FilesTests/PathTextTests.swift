import Testing
@testable import Files

@Suite("Path text")
struct PathTextTests {
    /// NSString's answers, without its crash on one-character paths.
    @Test(arguments: [
        ("k", "", "k"), ("k/", "", "k"), ("ab", "", "ab"), ("a/k", "a", "k"), ("a//k/", "a", "k"),
        ("/k", "/", "k"), ("/", "/", "/"), ("", "", ""), ("kk/a", "kk", "a"), ("/x/y/z", "/x/y", "z"),
    ])
    func parentAndLastComponent(path: String, parent: String, last: String) {
        #expect(PathText.parent(path) == parent, "parent of \(path)")
        #expect(PathText.last(path) == last, "last component of \(path)")
    }
}
