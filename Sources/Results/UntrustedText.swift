/// Strings that came from a results file, a file name or the user, made safe for where they go:
/// a cell of a GitHub Markdown table (a pull-request comment, a job summary) or a terminal.
public enum UntrustedText {
    /// One Markdown table cell that shows exactly `text`: no pipe that ends the cell, no line
    /// break that ends the row, no HTML, link, emphasis or code span, no @mention or #reference
    /// that notifies someone, and no control character.
    public static func markdownCell(_ text: String) -> String {
        var out = ""
        for scalar in terminal(text).unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "|", "\\", "`", "*", "_", "[", "]", "~": out += "\\" + String(scalar)
            // A word joiner after @ or # keeps the text but breaks the mention or issue reference.
            case "@", "#": out += String(scalar) + "\u{2060}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// `text` without control characters (C0, DEL, C1: escape sequences, carriage returns, bells)
    /// and with line breaks and tabs as spaces, so it cannot move the cursor, recolour or
    /// rewrite what a terminal shows.
    public static func terminal(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x09, 0x0A, 0x0D: out.append(" ")
            case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029: continue
            default: out.append(scalar)
            }
        }
        return String(out)
    }
}
