"""The element tree of an HTML page, for the report's checks (.ci/check-accessibility,
.ci/check-references): Python's own tokenizer, with void elements and unclosed tags handled
the way a browser closes them, and each element's line in the text it came from."""
import html.parser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.children, self.line = tag, attrs, parent, [], 0

    def text(self):
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def elements(self):
        for c in self.children:
            if isinstance(c, Node):
                yield c
                yield from c.elements()

    def find(self, tag):
        return [e for e in self.elements() if e.tag == tag]

    def direct(self, tag):
        return [c for c in self.children if isinstance(c, Node) and c.tag == tag]

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def describe(self):
        ident = f'#{self.attrs["id"]}' if self.attrs.get("id") else ""
        return f"<{self.tag}{ident}> (line {self.line} of the DOM)"


class Tree(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: (v if v is not None else "") for k, v in attrs}, self.current)
        node.line = self.getpos()[0]
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.current = self.current.parent

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(text):
    """The root (#document) of the tree of `text`."""
    tree = Tree()
    tree.feed(text)
    return tree.root


def clean(text):
    """`text` with its runs of white space made single spaces."""
    return " ".join(text.split())
