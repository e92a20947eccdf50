package dev.parley.conversation;

import java.util.Map;

/**
 * Why the health monitor fired: the rule, one short sentence for the rooms that quotes the evidence, and the
 * figures behind it for the journal.
 */
record HealthVerdict(String rule, String sentence, Map<String, Double> figures) {
    static final String NOTHING_NEW = "nothing-new";
    static final String REPEAT = "repeat";
    static final String ECHO = "echo";
    static final String TEMPLATE = "template";
    static final String STALE = "stale";
    static final String RAPTURE = "rapture";
    static final String FORMULA = "formula";

    HealthVerdict {
        figures = Map.copyOf(figures);
    }
}
