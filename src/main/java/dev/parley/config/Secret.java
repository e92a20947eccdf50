package dev.parley.config;

/**
 * A secret value (API key, token, password) read from an environment variable or a file.
 * {@link #toString()} never shows it, so a secret cannot leak through logs or a printed config.
 */
public final class Secret {
    private final String value;
    private final String source;

    public Secret(String value, String source) {
        this.value = value;
        this.source = source;
    }

    /** The secret itself, for the one place that must send it (an HTTP header, a login). */
    public String reveal() {
        return value;
    }

    /** Where it came from ("env OPENAI_API_KEY"), safe to print. */
    public String source() {
        return source;
    }

    public boolean isBlank() {
        return value == null || value.isBlank();
    }

    /** Equal when read from the same place with the same value, so records holding secrets compare sensibly. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Secret && java.util.Objects.equals(value, ((Secret) o).value)
                && java.util.Objects.equals(source, ((Secret) o).source);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(value, source);
    }

    @Override
    public String toString() {
        return "<redacted from " + source + ">";
    }
}
