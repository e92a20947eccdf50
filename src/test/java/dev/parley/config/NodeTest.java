package dev.parley.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import org.junit.jupiter.api.Test;

class NodeTest {
    private final Problems problems = new Problems();

    private Node node(String hocon) {
        ConfigObject root = ConfigFactory.parseString(hocon).root();
        return new Node(root, root, "", root.origin(), problems);
    }

    @Test
    void anUnquotedNumberReadAsAStringKeepsTheTextTheUserWrote() {
        Node n = node("""
                password = 0123
                ratio = 1.50
                big = 1e3
                flag = true
                names = [007, 1.50, yes]
                headers { x-id = 0042 }
                """);

        assertThat(n.optString("password")).contains("0123");
        assertThat(n.string("ratio")).isEqualTo("1.50");
        assertThat(n.text("big")).isEqualTo("1e3");
        assertThat(n.optString("flag")).contains("true");
        assertThat(n.strings("names")).containsExactly("007", "1.50", "yes");
        assertThat(n.stringMap("headers")).containsEntry("x-id", "0042");
        assertThat(problems.isEmpty()).isTrue();
    }

    @Test
    void aStringWhereAnObjectIsIsStillAProblemAtItsKey() {
        Node n = node("nick { a = 1 }");

        assertThat(n.optString("nick")).isEmpty();
        assertThat(problems.list()).singleElement().asString().contains("nick").contains("expected a string");
    }
}
