package dev.parley.config;

/**
 * One thing wrong with a configuration, located for a human: the file and line it was written on and the
 * key path inside the config ({@code conversations.0.seats.1.model.provider}). {@code line} is -1 and
 * {@code path} empty when unknown.
 */
public record ConfigProblem(String file, int line, String path, String message) {

    /** {@code conf/x.conf:12: conversations.0.seats.1.model.provider: unknown provider "opnai" (...)} */
    public String format() {
        StringBuilder out = new StringBuilder(file == null ? "?" : file);
        if (line > 0) {
            out.append(':').append(line);
        }
        out.append(": ");
        if (path != null && !path.isEmpty()) {
            out.append(path).append(": ");
        }
        return out.append(message).toString();
    }

    @Override
    public String toString() {
        return format();
    }
}
