package dev.parley.model;

/** The two roles every chat API shares; the system prompt travels apart in {@link ModelRequest}. */
public enum Role {
    USER, ASSISTANT;

    public String wireName() {
        return this == USER ? "user" : "assistant";
    }
}
