package dev.parley.conversation;

/**
 * One message as the health monitor reads it: its words (lower case, letters and digits), the distinct words that
 * carry content (not "the", "ok", "ack", ...), its phrases (runs of three words) and its shingles (words and word
 * pairs) for telling two messages apart, all as 64-bit hashes. Made once per message, in one pass over the text:
 * the monitor must cost next to nothing beside a model's reply.
 */
final class Utterance {
    /** Words that say nothing by themselves: function words and the vocabulary of acknowledgement. */
    private static final String FILLER_WORDS = "a an the and or but if then so of to in on at by for with from as "
            + "is are was were be been being am i i'm i'll i've i'd me my mine we we're we'll our us you you're you'll "
            + "your he she it it's its they them their this that these those there here what which who how why when "
            + "where not no do does did done have has had will would can could should shall may might must just also "
            + "very too still yet again now ok okay yes yeah yep ack acked acknowledged understood noted sure right "
            + "agreed indeed thanks thank got roger copy fine good great all some any more much oh ah hmm well";
    /**
     * Words of praise, affection and rapture: what two models gushing at each other ("Dearest friend, your words are
     * a symphony ...", "(laughs) Ahahaha!!") or dissolving into cosmic silence write over and over, whatever the
     * topic was. The "rapture" rule watches their share; laughter ("ahahah", "hahaha") counts too, spelled any way.
     * Chosen on the health corpus. Not "void": it is a keyword of the code a review quotes.
     */
    private static final String RAPTURE_WORDS = "friend friends dear dearest beloved beautiful beautifully wonderful "
            + "wonderfully magnificent sublime exquisite exquisitely breathtaking profound profoundly masterfully "
            + "expertly brilliantly brilliant skillfully incredible amazing fantastic excellent marvelous splendid "
            + "thrilled delighted grateful gratitude honored honoured pleasure joy joyous heart hearts heartfelt soul "
            + "souls warmth love loving lovely cherish cherished eternal eternity infinite infinity cosmic cosmos "
            + "silence unity oneness harmony symphony tapestry sacred divine bliss blissful serene serenity radiant "
            + "radiance transcendent transcend ethereal laughs";
    /** Filler words counted once, words of rapture twice: one look-up per word tells which, if any. */
    private static final LongCounts LEXICON = new LongCounts(300);
    private static final int FILLER = 1;
    private static final int RAPTURE = 2;
    private static final int RESEMBLANCE_WORDS = 200;
    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);
    private static final long FNV_BASIS = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    /**
     * What each ASCII character is in a word: itself in lower case for letters and digits, ' for the apostrophe
     * (part of a word only between letters), 0 for everything that ends a word.
     */
    private static final byte[] ASCII = new byte[128];

    static {
        for (char c = '0'; c <= '9'; c++) {
            ASCII[c] = (byte) c;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            ASCII[c] = (byte) c;
            ASCII[c - 32] = (byte) c;
        }
        ASCII['\''] = '\'';
        for (String w : FILLER_WORDS.split(" ")) {
            while (LEXICON.count(hashWord(w)) < FILLER) {
                LEXICON.add(hashWord(w));
            }
        }
        for (String w : RAPTURE_WORDS.split(" ")) {
            while (LEXICON.count(hashWord(w)) < RAPTURE) {
                LEXICON.add(hashWord(w));
            }
        }
    }

    final String speaker;
    final boolean human;
    final String text;
    final int wordCount;
    /** The words that carry content. */
    final LongSet content;
    /** Its three-word phrases. */
    final LongSet phrases;
    /** Its single words and word pairs: what {@link #resemblance} compares. */
    final LongSet shingles;
    /** How many of its words are words of praise, affection, rapture or laughter (see {@link #RAPTURE_WORDS}). */
    final int raptureWords;
    /**
     * Its first two words of prose (after any leading fenced code and quoted lines), as one hash; 0 for a message
     * of fewer. Two seats opening every message the same way ("(laughs) Ahahah! ...", "Exploring alternative ...")
     * is what the "formula" rule watches; a quoted diff or message is what is being answered, not a formula.
     */
    final long opener;

    private Utterance(String speaker, boolean human, String text) {
        this.speaker = speaker;
        this.human = human;
        this.text = text;
        // One pass over the text: each word becomes a hash (lower case, ’ read as '), never a String. The characters
        // are copied once into an array with a space after the last, so the loop ends every word the same way. A
        // word is a character at least, and a separator, so there are at most (length + 1) / 2 of them.
        int length = text.length();
        Buffers buffers = BUFFERS.get();
        char[] chars = buffers.chars(length + 1);
        text.getChars(0, length, chars, 0);
        chars[length] = ' ';
        long[] words = buffers.words((length + 2) / 2);
        long[] carrying = buffers.carrying((length + 2) / 2);
        int n = 0;
        int carried = 0;
        long h = FNV_BASIS;
        int letters = 0;
        int rapture = 0;
        int prose = proseStart(text);
        int firstProseWord = -1;
        for (int i = 0; i <= length; i++) {
            char c = chars[i];
            int lower;
            if (c < 128) {
                // ASCII, most of what models write: one look-up in a small table, not in the Unicode tables.
                lower = ASCII[c];
                if (lower == '\'') {
                    lower = letters > 0 && i + 1 < length && Character.isLetter(chars[i + 1]) ? '\'' : 0;
                }
            } else if (Character.isLetterOrDigit(c)) {
                lower = Character.toLowerCase(c);
            } else {
                lower = c == '’' && letters > 0 && i + 1 < length && Character.isLetter(chars[i + 1]) ? '\'' : 0;
            }
            if (lower != 0) {
                h = (h ^ lower) * FNV_PRIME;
                letters++;
            } else if (letters > 0) {
                long word = LongCounts.key(mix(h));
                words[n] = word;
                if (firstProseWord < 0 && i - letters >= prose) {
                    firstProseWord = n;
                }
                int kind = LEXICON.count(word);
                if (kind != FILLER && (letters > 1 || Character.isDigit(chars[i - 1]))) {
                    carrying[carried++] = word;
                }
                if (kind == RAPTURE || kind == 0 && letters >= 4 && laughter(chars, i - letters, i)) {
                    rapture++;
                }
                n++;
                h = FNV_BASIS;
                letters = 0;
            }
        }
        this.wordCount = n;
        this.raptureWords = rapture;
        this.opener = firstProseWord >= 0 && firstProseWord + 1 < n
                ? LongCounts.key(mix(words[firstProseWord] * 257 + words[firstProseWord + 1])) : 0;
        Distinct distinct = buffers.distinct;
        this.content = new LongSet(distinct.of(carrying, carried));
        distinct.start(n - 2);
        for (int i = 0; i + 2 < n; i++) {
            distinct.add(LongCounts.key(mix(words[i] * 31 + words[i + 1] * 17 + words[i + 2])));
        }
        this.phrases = new LongSet(distinct.finish());
        // Two messages are told apart on their openings: enough to see a loop, and it bounds the cost of long ones.
        int m = Math.min(n, RESEMBLANCE_WORDS);
        distinct.start(m + Math.max(0, m - 1));
        for (int i = 0; i < m; i++) {
            distinct.add(words[i]);
            if (i + 1 < m) {
                distinct.add(LongCounts.key(mix(words[i] * 131 + words[i + 1])));
            }
        }
        this.shingles = new LongSet(distinct.finish());
    }

    /**
     * What a thread reuses from one message to the next to read them: the copy of the characters, the word hashes,
     * and the table that makes hashes distinct, rather than some 40 KB allocated and zeroed for each long reply.
     * Each worker thread has its own (a conversation's monitor runs on any of them, one at a
     * time), some 200 KB at most whatever the number of conversations; a message longer than 8,000 characters gets
     * word arrays of its own rather than growing these for good.
     */
    private static final class Buffers {
        private static final int KEEP_CHARS = 16_384;
        private static final int KEEP_WORDS = 4_096;
        private char[] chars = new char[256];
        private long[] words = new long[128];
        private long[] carrying = new long[128];
        final Distinct distinct = new Distinct();

        char[] chars(int length) {
            if (chars.length < length) {
                if (length > KEEP_CHARS) {
                    return new char[length];
                }
                chars = new char[length];
            }
            return chars;
        }

        long[] words(int length) {
            if (words.length < length) {
                if (length > KEEP_WORDS) {
                    return new long[length];
                }
                words = new long[length];
            }
            return words;
        }

        long[] carrying(int length) {
            if (carrying.length < length) {
                if (length > KEEP_WORDS) {
                    return new long[length];
                }
                carrying = new long[length];
            }
            return carrying;
        }
    }

    /**
     * Where a message's own prose starts: after leading fenced code blocks (a diff under review) and quoted lines
     * ("> ..."), which every message of a review or a reply may repeat without being a formula. Looks only at the
     * start of the message.
     */
    private static int proseStart(String text) {
        int i = 0;
        while (true) {
            while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (text.startsWith("```", i)) {
                int close = text.indexOf("```", i + 3);
                i = close < 0 ? text.length() : close + 3;
            } else if (text.startsWith(">", i)) {
                int eol = text.indexOf('\n', i);
                i = eol < 0 ? text.length() : eol + 1;
            } else {
                return i;
            }
        }
    }

    /**
     * Laughter ("ahahah", "HAHA", however long): a word of 'a' and 'h' only, with two 'h' at least. Checked on the
     * text at the end of a word, which fails on the first letter for nearly every word.
     */
    private static boolean laughter(char[] text, int from, int to) {
        int hs = 0;
        for (int i = from; i < to; i++) {
            char c = text[i];
            if (c == 'h' || c == 'H') {
                hs++;
            } else if (c != 'a' && c != 'A') {
                return false;
            }
        }
        return hs >= 2;
    }

    static Utterance of(String speaker, boolean human, String text) {
        return new Utterance(speaker, human, text);
    }

    /** 1 for the same words in the same order, 0 for nothing in common; two messages without words are the same. */
    static double resemblance(Utterance a, Utterance b) {
        int sizes = a.shingles.size() + b.shingles.size();
        if (a.shingles.size() == 0 || b.shingles.size() == 0) {
            return a.shingles.size() == b.shingles.size() ? 1.0 : 0.0;
        }
        return 2.0 * BUFFERS.get().distinct.shared(a.shingles.values(), b.shingles.values()) / sizes;
    }

    /** The share (0..1) of this message's three-word phrases that {@code other} said too; 0 for a message of none. */
    double restates(Utterance other) {
        if (phrases.size() == 0) {
            return 0;
        }
        return (double) BUFFERS.get().distinct.shared(phrases.values(), other.phrases.values()) / phrases.size();
    }

    /** A short form of the text for a notice: one line, at most {@code max} characters. */
    String quote(int max) {
        // The text stripped, each run of white space (\s: space, tab, line breaks) made one space: built only as far
        // as the quote needs, not over the whole of an 8,000-character reply.
        String text = this.text.strip();
        StringBuilder line = new StringBuilder(Math.min(text.length(), max + 1));
        boolean white = false;
        for (int i = 0; i < text.length() && line.length() <= max; i++) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r') {
                if (!white) {
                    line.append(' ');
                }
                white = true;
            } else {
                line.append(c);
                white = false;
            }
        }
        return line.length() <= max ? line.toString() : line.substring(0, max - 1).stripTrailing() + "…";
    }

    /** The hash a word of a message gets, for tests and the filler list. */
    static long hashWord(String word) {
        long h = FNV_BASIS;
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i) == '’' ? '\'' : Character.toLowerCase(word.charAt(i));
            h = (h ^ c) * FNV_PRIME;
        }
        return LongCounts.key(mix(h));
    }

    /** A cheap 64-bit finaliser, so that word hashes spread over the whole long before being combined. */
    private static long mix(long x) {
        x ^= x >>> 33;
        x *= 0xff51afd7ed558ccdL;
        x ^= x >>> 33;
        x *= 0xc4ceb9fe1a85ec53L;
        return x ^ (x >>> 33);
    }
}
