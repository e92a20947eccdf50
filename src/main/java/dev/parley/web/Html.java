package dev.parley.web;

/** Escaping for text put into HTML: every name, title and body a model or a human wrote is untrusted. */
final class Html {
    private Html() { }

    /** Text as HTML character data or a quoted attribute value. Control characters (but tab and newline) go too. */
    static String esc(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    if (c >= 0x20 && c != 0x7f || c == '\n' || c == '\t') {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /**
     * A name (of a speaker, a seat, a conversation) isolated from the text around it, so right-to-left or bidi
     * override characters in it cannot reorder the rest of the line.
     */
    static String name(String name) {
        return "<bdi>" + esc(name) + "</bdi>";
    }

    /** At most {@code max} characters of {@code text}, with an ellipsis when cut; never splits a surrogate pair. */
    static String shorten(String text, int max) {
        if (text == null || text.length() <= max) {
            return text == null ? "" : text;
        }
        int end = Character.isLowSurrogate(text.charAt(max)) ? max - 1 : max;
        return text.substring(0, end) + "\u2026";
    }
}
