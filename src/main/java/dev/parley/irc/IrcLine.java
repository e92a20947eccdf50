package dev.parley.irc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One line received from an IRC server, parsed exactly (RFC 1459 with IRCv3 message tags): the text of a
 * PRIVMSG is kept byte for byte, trailing spaces included, unlike PircBotX which trims lines.
 *
 * @param tags    IRCv3 tags ({@code account}, {@code time}...), values unescaped; empty when none
 * @param source  the prefix without its colon ({@code nick!user@host} or a server name); empty when none
 * @param command upper-cased command or numeric
 * @param params  middle parameters and the trailing one, colon removed
 */
public record IrcLine(Map<String, String> tags, String source, String command, List<String> params) {

    public static IrcLine parse(String raw) {
        String rest = raw;
        Map<String, String> tags = Map.of();
        if (rest.startsWith("@")) {
            int sp = rest.indexOf(' ');
            String tagText = sp < 0 ? rest.substring(1) : rest.substring(1, sp);
            rest = sp < 0 ? "" : rest.substring(sp + 1);
            tags = parseTags(tagText);
        }
        rest = stripLeadingSpaces(rest);
        String source = "";
        if (rest.startsWith(":")) {
            int sp = rest.indexOf(' ');
            source = sp < 0 ? rest.substring(1) : rest.substring(1, sp);
            rest = sp < 0 ? "" : rest.substring(sp + 1);
        }
        rest = stripLeadingSpaces(rest);
        int sp = rest.indexOf(' ');
        String command = (sp < 0 ? rest : rest.substring(0, sp)).toUpperCase(java.util.Locale.ROOT);
        rest = sp < 0 ? "" : rest.substring(sp + 1);
        List<String> params = new ArrayList<>();
        while (!rest.isEmpty()) {
            if (rest.startsWith(":")) {
                params.add(rest.substring(1));
                break;
            }
            int next = rest.indexOf(' ');
            if (next < 0) {
                params.add(rest);
                break;
            }
            if (next > 0) {
                params.add(rest.substring(0, next));
            }
            rest = rest.substring(next + 1);
        }
        return new IrcLine(tags, source, command, Collections.unmodifiableList(params));
    }

    public String param(int i) {
        return i < params.size() ? params.get(i) : "";
    }

    /** The nick part of the source ("" for a server source without '!'/'@' it is the whole source). */
    public String nick() {
        int bang = source.indexOf('!');
        int at = source.indexOf('@');
        int end = bang >= 0 ? bang : at >= 0 ? at : source.length();
        return source.substring(0, end);
    }

    public String user() {
        int bang = source.indexOf('!');
        int at = source.indexOf('@');
        return bang >= 0 && at > bang ? source.substring(bang + 1, at) : "";
    }

    public String host() {
        int at = source.indexOf('@');
        return at >= 0 ? source.substring(at + 1) : "";
    }

    private static String stripLeadingSpaces(String s) {
        int i = 0;
        while (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        return s.substring(i);
    }

    private static Map<String, String> parseTags(String text) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (String tag : text.split(";")) {
            if (tag.isEmpty()) {
                continue;
            }
            int eq = tag.indexOf('=');
            if (eq < 0) {
                tags.put(tag, "");
            } else {
                tags.put(tag.substring(0, eq), unescapeTagValue(tag.substring(eq + 1)));
            }
        }
        return Collections.unmodifiableMap(tags);
    }

    /** IRCv3 message-tags escaping: {@code \:} ; {@code \s} space, {@code \\}, {@code \r}, {@code \n}. */
    static String unescapeTagValue(String v) {
        StringBuilder out = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (i + 1 >= v.length()) {
                break;
            }
            char n = v.charAt(++i);
            switch (n) {
                case ':' -> out.append(';');
                case 's' -> out.append(' ');
                case 'r' -> out.append('\r');
                case 'n' -> out.append('\n');
                default -> out.append(n);
            }
        }
        return out.toString();
    }
}
