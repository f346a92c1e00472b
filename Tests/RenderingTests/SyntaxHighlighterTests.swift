@testable import Results
import ReportFixtures
@testable import Rendering
import Testing

@Suite struct SyntaxHighlighterTests {
    func python(_ source: String) -> String { SyntaxHighlighter.html(source, language: .python) }

    @Test func keywordsAreMarkedAndOtherNamesLeftAlone() {
        #expect(python("for factor in values:") == #"<span class="hl-kw">for</span> factor <span class="hl-kw">in</span> values:"#)
        // A keyword inside a longer name is not one.
        #expect(python("format = information") == "format = information")
    }

    @Test func stringsNumbersAndCalls() {
        #expect(python(#"Dense(64, activation="relu")"#)
                == #"<span class="hl-fn">Dense</span>(<span class="hl-num">64</span>, activation=<span class="hl-str">&quot;relu&quot;</span>)"#)
        #expect(python("L2(1e-5) + 0.25 + .5") == #"<span class="hl-fn">L2</span>(<span class="hl-num">1e-5</span>) + <span class="hl-num">0.25</span> + <span class="hl-num">.5</span>"#)
        // Digits inside a name are part of the name.
        #expect(python("conv2d_1 = x2") == "conv2d_1 = x2")
        #expect(python(#"'it\'s' + x"#) == #"<span class="hl-str">'it\'s'</span> + x"#)
    }

    @Test func commentsRunToTheEndOfTheLine() {
        #expect(python("x = 1  # the first\ny") == "x = <span class=\"hl-num\">1</span>  <span class=\"hl-com\"># the first</span>\ny")
        #expect(SyntaxHighlighter.html("let a = 1 // one", language: .swift)
                == #"<span class="hl-kw">let</span> a = <span class="hl-num">1</span> <span class="hl-com">// one</span>"#)
        // '#' is no comment in Swift, '//' none in Python.
        #expect(python("a // b") == "a // b")
    }

    @Test func markupIsEscapedInsideAndOutsideTokens() {
        #expect(python("a < b & c > d") == "a &lt; b &amp; c &gt; d")
        #expect(python(#""<b>&" # <i>"#) == #"<span class="hl-str">&quot;&lt;b&gt;&amp;&quot;</span> <span class="hl-com"># &lt;i&gt;</span>"#)
        #expect(SyntaxHighlighter.html("f(&generator)", language: .swift) == #"<span class="hl-fn">f</span>(&amp;generator)"#)
    }

    @Test func anUnclosedStringEndsWithItsLine() {
        #expect(python("x = \"open\ny = 2") == "x = <span class=\"hl-str\">&quot;open</span>\ny = <span class=\"hl-num\">2</span>")
    }
}
