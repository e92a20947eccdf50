package dev.parley.config;

/**
 * What to do with replies that are not a clean answer: a model that timed out or failed
 * ({@code onFailure}), an empty reply, a stream cut mid-way; and whether paragraphs are posted as they stream.
 */
public record ReplyConfig(OnFailure onFailure, EmptyReply emptyReply, StreamCut streamCut, boolean streamParagraphs) {
    public enum OnFailure { SKIP, PAUSE }

    public enum EmptyReply { RETRY_THEN_SKIP, POST }

    public enum StreamCut { RETRY, KEEP }
}
