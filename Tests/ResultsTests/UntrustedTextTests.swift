import Results
import Pipeline
import Rendering
import Testing

/// Strings from results files cannot break a Markdown table, notify anyone or drive a terminal.
@Suite struct UntrustedTextTests {
    @Test func aMarkdownCellCannotEndTheCellOrTheRow() {
        let cell = UntrustedText.markdownCell("a | b\nc\r\td")
        #expect(!cell.contains("\n") && !cell.contains("\r") && !cell.contains("\t"))
        #expect(cell == "a \\| b c  d")
    }

    @Test func aMarkdownCellHasNoMarkupMentionsOrReferences() {
        #expect(UntrustedText.markdownCell("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;")
        #expect(UntrustedText.markdownCell("[x](https://example.org)") == "\\[x\\](https://example.org)")
        #expect(UntrustedText.markdownCell("@octocat #12 **b** `c` _d_ ~e~ a&b")
            == "@\u{2060}octocat #\u{2060}12 \\*\\*b\\*\\* \\`c\\` \\_d\\_ \\~e\\~ a&amp;b")
        #expect(UntrustedText.markdownCell("3.1b-all") == "3.1b-all")
    }

    @Test func terminalTextLosesItsControlCharacters() {
        #expect(UntrustedText.terminal("\u{1B}[31mred\u{1B}[0m\u{7}\u{9B}2J ok") == "[31mred[0m2J ok")
        #expect(UntrustedText.terminal("line\nbreak\u{2028}") == "line break")
    }
}
