package dev.parley.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.config.MatrixServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MatrixRegistrationTest {
    static MatrixServerConfig cfg(Path file, Optional<String> ns) {
        return new MatrixServerConfig("main", "https://matrix.example.org", "@parley:example.org", Optional.empty(),
                List.of(), MatrixServerConfig.Mode.APPSERVICE, Optional.empty(), OptionalInt.empty(),
                Optional.of(new MatrixServerConfig.Appservice(file, "parley", ns)));
    }

    @Test
    void writesAFileWithFreshTokensAndKeepsThemOnRewrite(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("reg.yaml");
        MatrixRegistration.write(cfg(file, Optional.empty()), false);
        String yaml = Files.readString(file);
        assertTrue(yaml.contains("sender_localpart: \"parley\"\n"), yaml);
        assertTrue(yaml.contains("url: null\n"), yaml);
        assertTrue(yaml.contains("rate_limited: false\n"), yaml);
        assertTrue(yaml.contains("    - exclusive: true\n      regex: \"@parley_.*:example\\\\.org\"\n"), yaml);
        var tokens = MatrixRegistration.read(file);
        assertEquals(64, tokens.asToken().length());
        assertNotEquals(tokens.asToken(), tokens.hsToken());
        assertFalse(tokens.toString().contains(tokens.asToken()));
        MatrixRegistration.write(cfg(file, Optional.of("@bots_.*:example\\.org")), true);
        assertEquals(tokens, MatrixRegistration.read(file));
        assertTrue(Files.readString(file).contains("@bots_.*"));
        assertNotEquals(MatrixRegistration.newTokens(), MatrixRegistration.newTokens());
    }

    @Test
    void theDefaultNamespaceMatchesGhostsOnly() {
        Pattern ns = Pattern.compile(MatrixRegistration.userNamespace(cfg(Path.of("x"), Optional.empty())));
        assertTrue(ns.matcher("@parley_kimi:example.org").matches());
        assertFalse(ns.matcher("@parley:example.org").matches());
        assertFalse(ns.matcher("@parley_kimi:exampleXorg").matches());
        assertFalse(ns.matcher("@alice:example.org").matches());
    }
}
