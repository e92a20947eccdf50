package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.config.ConfigLoader;
import dev.parley.model.ModelClients;
import org.junit.jupiter.api.Test;

/** The config accepts exactly the providers the daemon can build: no name passes one and fails the other. */
class ProvidersAgreeTest {
    @Test
    void configAndFactoryKnowTheSameProviders() {
        assertThat(ModelClients.PROVIDERS).containsExactlyInAnyOrderElementsOf(ConfigLoader.PROVIDERS);
    }
}
