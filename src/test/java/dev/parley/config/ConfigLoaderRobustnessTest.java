package dev.parley.config;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Whatever a user writes, loading either succeeds or throws a {@link ConfigException} naming where: never a
 * NullPointerException or a stack trace. Every value of the sample config is replaced, one at a time, by values
 * of each wrong kind.
 */
class ConfigLoaderRobustnessTest {
    private static final Map<String, String> ENV = Map.of("OPENAI_API_KEY", "a", "ANTHROPIC_API_KEY", "b",
            "PARLEY_MATRIX_TOKEN", "c", "KIMI_MATRIX_TOKEN", "d", "CLAUDE_MATRIX_TOKEN", "e");
    private static final List<ConfigValue> BAD = List.of(
            ConfigValueFactory.fromAnyRef(null), ConfigValueFactory.fromAnyRef(-7),
            ConfigValueFactory.fromAnyRef("zz"), ConfigValueFactory.fromAnyRef(""),
            ConfigValueFactory.fromIterable(List.of(1)), ConfigValueFactory.fromMap(Map.of("q", 1)));

    @Test
    void everySingleWrongValueIsEitherAcceptedOrReportedWithItsPlace() {
        ConfigLoader loader = ConfigLoader.withEnvironment(ENV);
        String printed = ConfigPrinter.print(loader.load(Path.of("conf/parley.conf")));
        ConfigObject root = ConfigFactory.parseString(printed).root();
        List<ConfigValue> variants = new ArrayList<>();
        mutations(root, variants);
        int reported = 0;
        for (ConfigValue v : variants) {
            String text = v.render(ConfigRenderOptions.concise());
            try {
                loader.load(text, "fuzz.conf");
            } catch (ConfigException e) {
                reported++;
                for (ConfigProblem p : e.problems()) {
                    assertTrue(p.file().equals("fuzz.conf") && p.line() > 0, p.format());
                    assertTrue(!p.message().isBlank(), p.format());
                }
            } catch (RuntimeException e) {
                fail("loading " + text + " threw " + e, e);
            }
        }
        System.out.printf("robustness: %d variants, %d reported as problems%n", variants.size(), reported);
        assertTrue(reported > variants.size() / 2, "most wrong values are problems: " + reported);
    }

    /** All copies of {@code v} with exactly one value replaced by a wrong one, at every depth. */
    private static void mutations(ConfigValue v, List<ConfigValue> out) {
        List<ConfigValue> inner = new ArrayList<>();
        inner.addAll(BAD);
        if (v instanceof ConfigObject) {
            ConfigObject obj = (ConfigObject) v;
            for (String key : obj.keySet()) {
                List<ConfigValue> childVariants = new ArrayList<>();
                mutations(obj.get(key), childVariants);
                for (ConfigValue c : childVariants) {
                    out.add(obj.withValue(key, c));
                }
                out.add(obj.withoutKey(key));
            }
        } else if (v instanceof ConfigList) {
            ConfigList list = (ConfigList) v;
            for (int i = 0; i < list.size(); i++) {
                List<ConfigValue> childVariants = new ArrayList<>();
                mutations(list.get(i), childVariants);
                for (ConfigValue c : childVariants) {
                    List<Object> copy = new ArrayList<>(list.unwrapped());
                    copy.set(i, c.unwrapped());
                    out.add(ConfigValueFactory.fromIterable(copy));
                }
            }
        }
        out.addAll(inner);
    }
}
