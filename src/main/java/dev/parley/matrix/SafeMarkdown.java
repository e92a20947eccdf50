package dev.parley.matrix;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders the small Markdown subset models use (bold, italics, strike-through, inline code, fenced code
 * blocks, line breaks) to Matrix {@code org.matrix.custom.html}. Safe by construction: the whole input is
 * HTML-escaped first, and only tags this class writes itself ({@code strong em del code pre br}) can appear,
 * so a reply containing {@code <script>} or {@code <img onerror>} shows as text. No links or images are
 * produced: a model's text must not become a clickable lure. Written here rather than adding a Markdown
 * library because the escape-first approach needs none of a full renderer's HTML pass-through rules.
 */
public final class SafeMarkdown {
    private static final Pattern CODE = Pattern.compile("`([^`\n]+)`");
    private static final Pattern BOLD = Pattern.compile("\\*\\*(?=\\S)(.+?)(?<=\\S)\\*\\*|__(?=\\S)(.+?)(?<=\\S)__");
    private static final Pattern ITALIC = Pattern.compile(
            "(?<![\\w*])\\*(?=[^\\s*])(.+?)(?<=[^\\s*])\\*(?![\\w*])|(?<![\\w_])_(?=[^\\s_])(.+?)(?<=[^\\s_])_(?![\\w_])");
    private static final Pattern STRIKE = Pattern.compile("~~(?=\\S)(.+?)(?<=\\S)~~");

    private SafeMarkdown() { }

    /** The HTML for {@code text}, or null when rendering adds nothing (plain text: send {@code body} only). */
    public static String toHtml(String text) {
        String html = render(text);
        return html.equals(escape(text).replace("\n", "<br/>")) ? null : html;
    }

    static String render(String text) {
        StringBuilder out = new StringBuilder();
        String[] lines = text.split("\n", -1);
        boolean inFence = false;
        StringBuilder fence = new StringBuilder();
        boolean firstLine = true;
        for (String line : lines) {
            if (line.strip().startsWith("```")) {
                if (inFence) {
                    out.append("<pre><code>").append(escape(fence.toString())).append("</code></pre>");
                    fence.setLength(0);
                    inFence = false;
                    firstLine = true;
                } else {
                    inFence = true;
                }
                continue;
            }
            if (inFence) {
                fence.append(fence.length() == 0 ? "" : "\n").append(line);
                continue;
            }
            if (!firstLine) {
                out.append("<br/>");
            }
            firstLine = false;
            out.append(inline(escape(line)));
        }
        if (inFence) {
            // An unclosed fence: show what was there as code rather than dropping it.
            out.append("<pre><code>").append(escape(fence.toString())).append("</code></pre>");
        }
        return out.toString();
    }

    /** Inline markup on an already escaped line; code spans first so their content is not styled. */
    private static String inline(String escaped) {
        StringBuilder out = new StringBuilder();
        Matcher m = CODE.matcher(escaped);
        int last = 0;
        while (m.find()) {
            out.append(styles(escaped.substring(last, m.start())));
            out.append("<code>").append(m.group(1)).append("</code>");
            last = m.end();
        }
        out.append(styles(escaped.substring(last)));
        return out.toString();
    }

    private static String styles(String s) {
        s = replace(BOLD, s, "strong");
        s = replace(STRIKE, s, "del");
        return replace(ITALIC, s, "em");
    }

    private static String replace(Pattern p, String s, String tag) {
        Matcher m = p.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String inner = m.group(1) != null ? m.group(1) : m.group(2);
            m.appendReplacement(out, Matcher.quoteReplacement("<" + tag + ">" + inner + "</" + tag + ">"));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** HTML-escapes every character that could open a tag, an entity or leave an attribute. */
    public static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
