package dev.parley.irc;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns text from a model (data, never protocol) into IRC message payloads that are safe to put on the wire.
 * Pure functions, no state.
 *
 * <p>Rules, decided here once:
 * <ul>
 *   <li>CR, LF, CRLF, NEL (U+0085), LINE SEPARATOR and PARAGRAPH SEPARATOR end a line; each line becomes its own
 *       message. Blank (empty or whitespace-only) lines inside a text are skipped: IRC has no empty message.</li>
 *   <li>A text with nothing visible at all is sent as one message holding a single space, so the room still
 *       shows that the seat spoke (the engine may post a blank opening message).</li>
 *   <li>NUL, every other C0 control, DEL and C1 controls are removed; TAB becomes a space. IRC formatting codes
 *       (bold, colour, italic, underline, strike, monospace, reverse, reset) are kept only if formatting is
 *       enabled; otherwise a colour code goes with its parameters ({@code \x0304,01}), which would show as digits. {@code \u0001} (the CTCP delimiter) is always removed, so model text can never forge CTCP.
 *       An unpaired surrogate is removed (it has no UTF-8 form).</li>
 *   <li>A line longer than the byte budget is split into several messages at a user-perceived character
 *       (grapheme) boundary, at the last space that fits when there is one. Like a chat client's word wrap, the
 *       space(s) at such a break are dropped: ngircd strips trailing spaces anyway, and a leading one would read
 *       as indentation. A word longer than a whole message is cut between two graphemes, nothing dropped.</li>
 * </ul>
 */
public final class IrcText {
    /** RFC 1459: a line including its CR LF is at most 512 bytes. */
    public static final int MAX_LINE_BYTES = 512;
    /** Bytes a CTCP ACTION adds around the text: {@code \u0001ACTION } and {@code \u0001}. */
    public static final int ACTION_OVERHEAD = "\u0001ACTION \u0001".length();
    /** Worst-case user and host lengths used until the server tells us our real prefix. */
    public static final int WORST_USER = 11;
    public static final int WORST_HOST = 63;

    private static final Pattern LINE_BREAK = Pattern.compile("\r\n|[\r\n\u0085\u2028\u2029]");
    private static final Pattern GRAPHEME = Pattern.compile("\\X");
    private static final String FORMATTING = "\u0002\u0003\u0004\u000F\u0011\u0016\u001D\u001E\u001F";

    private IrcText() { }

    /** One message to send: its payload and whether it goes out as a CTCP ACTION. */
    public record Line(String text, boolean action) { }

    /**
     * Removes what must never reach an IRC socket from a single line (no line breaks expected; any left are
     * removed too): see the class comment.
     */
    public static String sanitizeLine(String line, boolean keepFormatting) {
        StringBuilder out = new StringBuilder(line.length());
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < line.length() && Character.isLowSurrogate(line.charAt(i + 1))) {
                    out.append(c).append(line.charAt(i + 1));
                    i++;
                }
                continue;
            }
            if (Character.isLowSurrogate(c)) {
                continue;
            }
            if (c == '\t') {
                out.append(' ');
            } else if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F)) {
                if (keepFormatting && FORMATTING.indexOf(c) >= 0) {
                    out.append(c);
                } else if (c == '\u0003') {
                    i = colourEnd(line, i + 1, 2, IrcText::isDigit) - 1;
                } else if (c == '\u0004') {
                    i = colourEnd(line, i + 1, 6, IrcText::isHexDigit) - 1;
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Where the colour parameters after a colour code end: a foreground of up to {@code width} digits, then, only
     * after a foreground, a comma and a background of up to {@code width} digits. A comma not followed by a digit is
     * text. (mIRC colours: {@code \x03} with 2 decimal digits; hex colours: {@code \x04} with 6 hex digits.)
     */
    private static int colourEnd(String line, int from, int width, java.util.function.IntPredicate digit) {
        int fg = digits(line, from, width, digit);
        if (fg == from) {
            return from;
        }
        if (fg < line.length() && line.charAt(fg) == ',') {
            int bg = digits(line, fg + 1, width, digit);
            if (bg > fg + 1) {
                return bg;
            }
        }
        return fg;
    }

    private static int digits(String line, int from, int width, java.util.function.IntPredicate digit) {
        int i = from;
        while (i < line.length() && i - from < width && digit.test(line.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHexDigit(int c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** Splits on every kind of line break (CRLF, CR, LF, NEL, U+2028, U+2029); keeps empty lines. */
    public static List<String> splitLines(String text) {
        return List.of(LINE_BREAK.split(text, -1));
    }

    public static int utf8Length(CharSequence s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /**
     * Bytes left for the text of a {@code PRIVMSG target :text} once the server relays it to others as
     * {@code :nick!user@host PRIVMSG target :text\r\n}.
     */
    public static int privmsgBudget(String nick, int userBytes, int hostBytes, String target) {
        int prefix = 1 + utf8Length(nick) + 1 + userBytes + 1 + hostBytes;
        int fixed = prefix + " PRIVMSG ".length() + utf8Length(target) + " :".length() + 2;
        return MAX_LINE_BYTES - fixed;
    }

    /**
     * Splits one sanitized line into pieces of at most {@code maxBytes} UTF-8 bytes each, never inside a
     * grapheme (nor a code point), preferring to break at a space, which is then dropped (see class comment).
     */
    public static List<String> splitToBytes(String line, int maxBytes) {
        if (maxBytes < 4) {
            throw new IllegalArgumentException("byte budget too small: " + maxBytes);
        }
        List<String> pieces = new ArrayList<>();
        if (utf8Length(line) <= maxBytes) {
            pieces.add(line);
            return pieces;
        }
        List<String> units = graphemes(line, maxBytes);
        int start = 0;
        while (start < units.size()) {
            int bytes = 0;
            int end = start;
            int lastSpace = -1;
            while (end < units.size()) {
                int b = utf8Length(units.get(end));
                if (bytes + b > maxBytes) {
                    break;
                }
                bytes += b;
                if (units.get(end).equals(" ")) {
                    lastSpace = end;
                }
                end++;
            }
            int next = end;
            if (end < units.size() && units.get(end).equals(" ")) {
                lastSpace = end;
            }
            if (end < units.size() && lastSpace > start) {
                // Wrap like a chat client: the spaces at the break are dropped, not carried to either side,
                // because some servers (ngircd) strip trailing spaces and a leading one reads as indentation.
                end = lastSpace;
                while (end > start && units.get(end - 1).equals(" ")) {
                    end--;
                }
                next = lastSpace;
                while (next < units.size() && units.get(next).equals(" ")) {
                    next++;
                }
                if (end == start) {
                    // Nothing but spaces up to the break: drop them rather than send a message of blanks.
                    start = next;
                    continue;
                }
            }
            StringBuilder piece = new StringBuilder();
            for (int i = start; i < end; i++) {
                piece.append(units.get(i));
            }
            pieces.add(piece.toString());
            start = next;
        }
        return pieces;
    }

    /**
     * The grapheme clusters of {@code s}; a cluster too big for one message (a pathological pile of combining
     * marks) is broken into its code points, which is the best that can be done.
     */
    private static List<String> graphemes(String s, int maxBytes) {
        List<String> units = new ArrayList<>();
        Matcher m = GRAPHEME.matcher(s);
        while (m.find()) {
            String g = m.group();
            if (utf8Length(g) <= maxBytes) {
                units.add(g);
            } else {
                g.codePoints().forEach(cp -> units.add(new String(Character.toChars(cp))));
            }
        }
        return units;
    }

    /** Cuts {@code s} to at most {@code maxBytes} UTF-8 bytes at a grapheme boundary. */
    public static String truncateToBytes(String s, int maxBytes) {
        if (utf8Length(s) <= maxBytes) {
            return s;
        }
        StringBuilder out = new StringBuilder();
        int bytes = 0;
        for (String g : graphemes(s, Math.max(4, maxBytes))) {
            int b = utf8Length(g);
            if (bytes + b > maxBytes) {
                break;
            }
            out.append(g);
            bytes += b;
        }
        return out.toString();
    }

    /** How a reply is to be laid out as IRC messages. */
    public record Layout(int privmsgBudget, int maxLines, boolean cut, String cutMarker,
                         boolean keepFormatting, boolean actions) {
        public Layout {
            if (privmsgBudget - ACTION_OVERHEAD < 16) {
                throw new IllegalArgumentException("byte budget too small: " + privmsgBudget);
            }
            if (maxLines < 1) {
                throw new IllegalArgumentException("maxLines must be at least 1");
            }
            // The marker (from the config file) goes on the wire like model text: same sanitizing, no line
            // breaks, and at most half a message, so that the line it ends keeps some text and fits the budget.
            String marker = sanitizeLine(LINE_BREAK.matcher(Objects.requireNonNull(cutMarker, "cutMarker"))
                    .replaceAll(""), keepFormatting);
            cutMarker = truncateToBytes(marker, (privmsgBudget - ACTION_OVERHEAD) / 2);
        }
    }

    /**
     * The whole path from a model's reply to the messages to send: line breaks, sanitizing, "/me", splitting by
     * bytes, and the max-lines cut. Never returns an empty list and never a message with CR, LF or NUL.
     */
    public static List<Line> layout(String text, Layout layout) {
        boolean action = false;
        String body = text;
        if (layout.actions() && body.startsWith("/me ")) {
            action = true;
            body = body.substring(4);
        }
        List<Line> out = new ArrayList<>();
        boolean first = true;
        for (String raw : splitLines(body)) {
            String line = sanitizeLine(raw, layout.keepFormatting());
            boolean thisIsAction = action && first;
            first = false;
            if (line.isBlank() && !thisIsAction) {
                continue;
            }
            int budget = layout.privmsgBudget() - (thisIsAction ? ACTION_OVERHEAD : 0);
            for (String piece : splitToBytes(line.isEmpty() ? " " : line, budget)) {
                out.add(new Line(piece, thisIsAction));
            }
        }
        if (out.isEmpty()) {
            out.add(new Line(" ", false));
        }
        if (layout.cut() && out.size() > layout.maxLines()) {
            List<Line> kept = new ArrayList<>(out.subList(0, layout.maxLines()));
            Line last = kept.get(kept.size() - 1);
            int budget = layout.privmsgBudget() - (last.action() ? ACTION_OVERHEAD : 0);
            String marker = layout.cutMarker();
            String room = truncateToBytes(last.text(), budget - utf8Length(marker));
            kept.set(kept.size() - 1, new Line(room + marker, last.action()));
            out = kept;
        }
        return out;
    }

    /** The exact bytes of a payload as they will be written: for tests and assertions. */
    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
