package dev.parley.gate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The rule in gate's package-info: the engine calls the gate; the gate knows nothing of turns or rooms. */
class GatePackageRulesTest {
    private static final List<String> FORBIDDEN = List.of("dev.parley.conversation", "dev.parley.command",
            "dev.parley.model", "dev.parley.room", "dev.parley.irc", "dev.parley.matrix", "dev.parley.app",
            "dev.parley.web", "dev.parley.host", "dev.parley.archive");

    @Test
    void gateImportsOnlyCoreConfigAndItsLibraries() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("src/main/java/dev/parley/gate"))) {
            for (Path file : files.toList()) {
                List<String> imports = Files.readAllLines(file).stream().filter(l -> l.startsWith("import ")).toList();
                assertThat(imports).as(file.toString())
                        .noneMatch(i -> FORBIDDEN.stream().anyMatch(p -> i.startsWith("import " + p + ".")));
            }
        }
    }
}
