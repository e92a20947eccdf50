package dev.parley.conversation;

import java.util.Optional;

/**
 * Splits a reply that is still streaming into paragraphs ready to post: everything up to the last blank line
 * is complete; what follows may still grow. Remembers how much was handed out, so the rest of the reply can be
 * posted when it ends and nothing is posted twice.
 */
final class ParagraphStream {
    private static final String BREAK = "\n\n";

    private int posted;

    /** Complete paragraphs of {@code text} (the cleaned reply so far) not yet handed out, if any. */
    Optional<String> completed(String text) {
        int end = text.lastIndexOf(BREAK);
        if (end <= posted) {
            return Optional.empty();
        }
        String ready = text.substring(posted, end);
        posted = end + BREAK.length();
        while (posted < text.length() && text.charAt(posted) == '\n') {
            posted++;
        }
        String trimmed = ready.strip();
        return trimmed.isEmpty() ? Optional.empty() : Optional.of(ready.replaceAll("^\n+", ""));
    }

    /** What is left of the finished reply after the paragraphs already handed out. */
    String rest(String fullText) {
        return posted >= fullText.length() ? "" : fullText.substring(posted);
    }

    boolean anyPosted() {
        return posted > 0;
    }

    /** The part of {@code text} that was handed out, for a reply cut short after some paragraphs were shown. */
    String shown(String text) {
        return text.substring(0, Math.min(posted, text.length())).strip();
    }
}
