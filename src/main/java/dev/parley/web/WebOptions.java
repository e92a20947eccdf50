package dev.parley.web;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Set;

/** What the web view and the static site need to know from the config: where, which zone, and who is shown how. */
public record WebOptions(Path transcriptsDir, ZoneId zone, boolean pseudonyms, Set<String> privateConversations,
                         Set<String> indexableConversations) {
    public WebOptions {
        privateConversations = Set.copyOf(privateConversations);
        indexableConversations = Set.copyOf(indexableConversations);
    }

    Visibility visibility() {
        return new Visibility(transcriptsDir, privateConversations, indexableConversations);
    }

    Pseudonyms pseudonymsFor() {
        return pseudonyms ? Pseudonyms.keyed(PseudonymKey.load(transcriptsDir)) : Pseudonyms.OFF;
    }
}
