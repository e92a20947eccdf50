package dev.parley.conversation;

import dev.parley.config.ConversationConfig;
import dev.parley.testsupport.TestConfigs;

/** Shortcuts over {@link TestConfigs} for this package's tests. */
final class ConversationTestConfigs {
    private ConversationTestConfigs() { }

    static ConversationConfig turns(ConversationConfig c, int turns) {
        return TestConfigs.with(c, b -> b.stop(TestConfigs.stop(turns)));
    }
}
