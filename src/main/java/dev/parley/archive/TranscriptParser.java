package dev.parley.archive;

import dev.parley.core.FileSize;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a transcript written by {@link TranscriptWriter} back into a {@link Transcript}, recovering every message
 * exactly, even one that is blank, holds blank lines or {@code ---} lines, starts with {@code ###}, or holds a whole
 * "{@code \n\n---\n\n### Name\n\n}" of its own.
 *
 * <p>Why this is not a line splitter: a message can contain anything a section break is made of, so the breaks
 * are found by a search. A candidate break is every "{@code \n\n---\n\n}" followed by a "{@code ### name}" line and
 * a blank line. The parser looks for a choice of breaks giving exactly {@code **Messages:**} sections that use up
 * the whole file, trying first the breaks followed by a known name (a title name or a speaker already seen) and,
 * among those, the earliest (but see {@code shadowed}); a new name is still allowed, since humans are not in the
 * title. Dead ends (a section
 * index at a position that cannot lead to a whole parse) are remembered, so the search stays polynomial.
 *
 * <p>Any split found renders back to the very same bytes. The one case no parser can settle is a message that
 * contains a full break followed by a known speaker's header <em>and</em> a count that fits both readings; the
 * earliest such break is taken then.
 */
public final class TranscriptParser {
    private static final Pattern COUNT = Pattern.compile("0|[1-9][0-9]{0,8}");
    private static final int HEADER_LINES = 8;

    /** The largest transcript read whole (replay): far more than any conversation; beyond it, the heap runs out. */
    public static final long MAX_BYTES = 256 * FileSize.MB;

    private TranscriptParser() { }

    public static Transcript read(Path file) {
        FileSize.tooLarge(file, MAX_BYTES, "transcripts").ifPresent(why -> {
            throw new UncheckedIOException("transcript " + file + " " + why, new IOException(why));
        });
        try {
            return parse(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read transcript " + file + ": " + e.getMessage(), e);
        }
    }

    public static Transcript parse(byte[] utf8) {
        return parse(decode(utf8));
    }

    public static Transcript parse(String text) {
        // Header: eight fixed lines.
        String[] header = new String[HEADER_LINES];
        int pos = 0;
        for (int i = 0; i < HEADER_LINES; i++) {
            int nl = text.indexOf('\n', pos);
            if (nl < 0) {
                throw new TranscriptParseException(i + 1, "the file ends inside the header");
            }
            header[i] = text.substring(pos, nl);
            pos = nl + 1;
        }
        List<String> title = title(header[0]);
        expect(header[1], "", 2);
        LocalDateTime started = time(header[2], TranscriptWriter.STARTED, 3);
        LocalDateTime ended = time(header[3], TranscriptWriter.ENDED, 4);
        int count = count(header[4]);
        expect(header[5], "", 6);
        expect(header[6], "---", 7);
        expect(header[7], "", 8);
        List<Transcript.Entry> messages = new Body(text.substring(pos), HEADER_LINES + 1, title, count).split();
        return new Transcript(title, started, ended, messages);
    }

    private static List<String> title(String line) {
        if (!line.startsWith("# ") || line.length() == 2) {
            throw new TranscriptParseException(1, "expected the title '# <seat> \u2194 <seat>', found '" + line + "'");
        }
        List<String> names = Arrays.asList(line.substring(2).split(Pattern.quote(TranscriptWriter.ARROW), -1));
        for (String name : names) {
            if (name.isEmpty() || name.indexOf('\r') >= 0) {
                throw new TranscriptParseException(1, "empty or malformed seat name in the title '" + line + "'");
            }
        }
        return names;
    }

    private static void expect(String line, String wanted, int lineNumber) {
        if (!line.equals(wanted)) {
            throw new TranscriptParseException(lineNumber, wanted.isEmpty()
                    ? "expected a blank line, found '" + line + "'"
                    : "expected '" + wanted + "', found '" + line + "'");
        }
    }

    private static LocalDateTime time(String line, String label, int lineNumber) {
        if (!line.startsWith(label)) {
            throw new TranscriptParseException(lineNumber, "expected '" + label + "YYYY-MM-DD HH:MM:SS', found '"
                    + line + "'");
        }
        try {
            return LocalDateTime.parse(line.substring(label.length()),
                    TranscriptWriter.TIME.withResolverStyle(ResolverStyle.STRICT));
        } catch (DateTimeParseException e) {
            throw new TranscriptParseException(lineNumber, "bad time '" + line.substring(label.length())
                    + "', expected YYYY-MM-DD HH:MM:SS");
        }
    }

    private static int count(String line) {
        String label = TranscriptWriter.MESSAGES;
        if (!line.startsWith(label) || !COUNT.matcher(line.substring(label.length())).matches()) {
            throw new TranscriptParseException(5, "expected '" + label + "<number>', found '" + line + "'");
        }
        return Integer.parseInt(line.substring(label.length()));
    }

    private static String decode(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            int line = 1;
            for (int i = 0; i < in.position(); i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            throw new TranscriptParseException(line, "not valid UTF-8 (byte " + in.position() + ")");
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    /** The message sections after the header, and the search for where they break. */
    private static final class Body {
        private final String text;
        private final int firstLine;
        private final Set<String> titleNames;
        private final int count;
        /** Every position of "\n\n---\n\n" followed by a valid section header, ascending. */
        private final int[] breaks;
        private final String[] breakNames;

        Body(String text, int firstLine, List<String> title, int count) {
            this.text = text;
            this.firstLine = firstLine;
            this.titleNames = new HashSet<>(title);
            this.count = count;
            List<Integer> found = new ArrayList<>();
            List<String> names = new ArrayList<>();
            String end = TranscriptWriter.SECTION_END;
            for (int at = text.indexOf(end); at >= 0; at = text.indexOf(end, at + 1)) {
                String name = nameAt(at + end.length());
                if (name != null) {
                    found.add(at);
                    names.add(name);
                }
            }
            this.breaks = found.stream().mapToInt(Integer::intValue).toArray();
            this.breakNames = names.toArray(String[]::new);
        }

        List<Transcript.Entry> split() {
            if (count == 0) {
                if (!text.isEmpty()) {
                    throw new TranscriptParseException(firstLine, "**Messages:** is 0 but a section follows");
                }
                return List.of();
            }
            if (nameAt(0) == null) {
                throw new TranscriptParseException(firstLine, "expected a section '### <speaker>' and a blank line");
            }
            if (!text.endsWith(TranscriptWriter.SECTION_END)) {
                throw new TranscriptParseException(lineOf(text.length()),
                        "the last message must end with a blank line, a '---' line and a blank line");
            }
            if (breaks.length < count - 1) {
                throw new TranscriptParseException(5, "**Messages:** says " + count + " but the file has at most "
                        + (breaks.length + 1) + " sections");
            }
            List<Transcript.Entry> entries = search();
            if (entries == null) {
                throw new TranscriptParseException(5, "the sections cannot be split into the " + count
                        + " messages **Messages:** announces");
            }
            return entries;
        }

        /**
         * Depth-first search over break choices, iterative so that a transcript of many thousands of messages
         * cannot overflow the stack. Frame i is message i; it has chosen break {@code breaks[choice]} as its end.
         */
        private List<Transcript.Entry> search() {
            Deque<Frame> path = new ArrayDeque<>();
            Map<String, Integer> seen = new HashMap<>();
            Set<Long> deadEnds = new HashSet<>();
            path.push(open(0, 0, seen));
            while (!path.isEmpty()) {
                Frame frame = path.peek();
                if (frame.index == count - 1) {
                    // The last message runs to the end of the file.
                    int end = text.length() - TranscriptWriter.SECTION_END.length();
                    if (end >= frame.textStart) {
                        return entries(path, end);
                    }
                    backtrack(path, seen, deadEnds);
                    continue;
                }
                int next = frame.nextCandidate();
                if (next < 0) {
                    backtrack(path, seen, deadEnds);
                    continue;
                }
                int start = breaks[next] + TranscriptWriter.SECTION_END.length();
                if (deadEnds.contains(key(frame.index + 1, start))) {
                    continue;
                }
                frame.chosen = next;
                path.push(open(frame.index + 1, start, seen));
            }
            return null;
        }

        private Frame open(int index, int start, Map<String, Integer> seen) {
            String name = nameAt(start);
            int textStart = start + TranscriptWriter.SECTION.length() + name.length() + 2;
            seen.merge(name, 1, Integer::sum);
            Frame frame = new Frame(index, start, name, textStart);
            if (index < count - 1) {
                frame.candidates = candidates(index, textStart, seen);
            }
            return frame;
        }

        /** Breaks that can end message {@code index}: known next speakers first, each group earliest first. */
        private int[] candidates(int index, int textStart, Map<String, Integer> seen) {
            int first = firstBreakAtOrAfter(textStart);
            int breaksStillNeeded = count - 2 - index; // after this one
            List<List<Integer>> groups = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                    new ArrayList<>());
            for (int k = first; k < breaks.length; k++) {
                if (breaks.length - 1 - k < breaksStillNeeded) {
                    break; // too few breaks left for the messages after this one
                }
                String name = breakNames[k];
                boolean known = titleNames.contains(name) || seen.containsKey(name);
                groups.get((known ? 0 : 2) + (shadowed(k) ? 1 : 0)).add(k);
            }
            return groups.stream().flatMap(List::stream).mapToInt(Integer::intValue).toArray();
        }

        /**
         * True when the next candidate break starts inside the header this one would open: of "…\n\n---\n\n### X"
         * + "\n\n---\n\n### Y\n\n", either a message ends with a lone "### X" heading or the next one starts
         * with "---" and a heading. Models end a reply with a bare heading far less often, so the later break wins.
         */
        private boolean shadowed(int k) {
            if (k + 1 >= breaks.length) {
                return false;
            }
            int headerEnd = breaks[k] + TranscriptWriter.SECTION_END.length() + TranscriptWriter.SECTION.length()
                    + breakNames[k].length() + 2;
            return breaks[k + 1] < headerEnd;
        }

        private void backtrack(Deque<Frame> path, Map<String, Integer> seen, Set<Long> deadEnds) {
            Frame dead = path.pop();
            deadEnds.add(key(dead.index, dead.start));
            seen.computeIfPresent(dead.name, (name, n) -> n == 1 ? null : n - 1);
        }

        private List<Transcript.Entry> entries(Deque<Frame> path, int lastEnd) {
            List<Transcript.Entry> entries = new ArrayList<>(count);
            var frames = path.descendingIterator(); // oldest first
            while (frames.hasNext()) {
                Frame frame = frames.next();
                int end = frame.index == count - 1 ? lastEnd : breaks[frame.chosen];
                entries.add(new Transcript.Entry(frame.name, text.substring(frame.textStart, end)));
            }
            return entries;
        }

        private int firstBreakAtOrAfter(int position) {
            int i = Arrays.binarySearch(breaks, position);
            return i >= 0 ? i : -i - 1;
        }

        /** The speaker of a section header "### name\n\n" starting at {@code at}, or null when there is none. */
        private String nameAt(int at) {
            if (!text.startsWith(TranscriptWriter.SECTION, at)) {
                return null;
            }
            int nameStart = at + TranscriptWriter.SECTION.length();
            int nl = text.indexOf('\n', nameStart);
            if (nl <= nameStart || nl + 1 >= text.length() || text.charAt(nl + 1) != '\n') {
                return null;
            }
            String name = text.substring(nameStart, nl);
            return name.indexOf('\r') >= 0 ? null : name;
        }

        private int lineOf(int position) {
            int line = firstLine;
            for (int i = 0; i < position && i < text.length(); i++) {
                if (text.charAt(i) == '\n') {
                    line++;
                }
            }
            return line;
        }

        private static long key(int index, int start) {
            return ((long) index << 32) | (start & 0xffffffffL);
        }
    }

    private static final class Frame {
        final int index;
        final int start;
        final String name;
        final int textStart;
        int[] candidates = new int[0];
        int tried;
        int chosen = -1;

        Frame(int index, int start, String name, int textStart) {
            this.index = index;
            this.start = start;
            this.name = name;
            this.textStart = textStart;
        }

        int nextCandidate() {
            return tried < candidates.length ? candidates[tried++] : -1;
        }
    }
}
