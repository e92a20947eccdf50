package dev.parley.web;

import dev.parley.config.ConversationConfig;
import dev.parley.config.ParleyConfig;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Set;
import java.util.stream.Collectors;

/** What the web view and the static site need to know from the config: where, which zone, and who is shown how. */
public record WebOptions(Path transcriptsDir, ZoneId zone, boolean pseudonyms, Set<String> privateConversations,
                         Set<String> indexableConversations) {
    public WebOptions {
        privateConversations = Set.copyOf(privateConversations);
        indexableConversations = Set.copyOf(indexableConversations);
    }

    public static WebOptions of(ParleyConfig config) {
        return new WebOptions(config.transcriptsDir(), config.timeZone(), config.http().pseudonyms(),
                config.conversations().stream().filter(c -> c.web().hidden()).map(ConversationConfig::id)
                        .collect(Collectors.toSet()),
                config.conversations().stream().filter(c -> c.web().indexable()).map(ConversationConfig::id)
                        .collect(Collectors.toSet()));
    }

    Visibility visibility() {
        return new Visibility(transcriptsDir, privateConversations, indexableConversations);
    }

    Pseudonyms pseudonymsFor() {
        return pseudonyms ? Pseudonyms.keyed(PseudonymKey.load(transcriptsDir)) : Pseudonyms.OFF;
    }
}
