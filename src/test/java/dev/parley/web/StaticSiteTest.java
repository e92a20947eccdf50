package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.archive.JournalFeed;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticSiteTest {
    @TempDir
    Path dir;
    @TempDir
    Path out;

    @Test
    void theExportHasTheSamePagesAtTheSamePathsAsTheServerWithoutPrivateConversations() throws Exception {
        Archives.finished(dir, "tides", "tides-1", "Hello **world**", "Hi");
        Archives.finished(dir, "secret", "secret-1", "Hush");
        Files.writeString(dir.resolve("tides").resolve("tides-1.md"), "# Ada \u2194 Basil\n");
        WebOptions options = new WebOptions(dir, ZoneId.of("UTC"), false, Set.of("secret"), Set.of());
        StaticSite.Result result = StaticSite.export(options, out);
        assertThat(result.episodes()).isEqualTo(1);
        assertThat(out.resolve("style.css")).exists();
        assertThat(out.resolve("c/tides/tides-1/transcript.md")).hasContent("# Ada \u2194 Basil");
        assertThat(out.resolve("c/tides/tides-1/journal.jsonl")).exists();
        assertThat(out.resolve("c/secret")).doesNotExist();
        assertThat(Files.readString(out.resolve("index.html"))).contains("c/tides/tides-1/index.html")
                .doesNotContain("secret").doesNotContain("search");

        try (WebServer web = WebServer.start(options, "127.0.0.1", 0, new JournalFeed(), StatusSource.NONE, "t")) {
            String live = HttpClient.newHttpClient().send(HttpRequest.newBuilder(web.uri().resolve(
                    URI.create("/c/tides/tides-1/"))).build(), HttpResponse.BodyHandlers.ofString()).body();
            String exported = Files.readString(out.resolve("c/tides/tides-1/index.html"));
            // The same page, but for the link to search that only the server has.
            assertThat(exported).isEqualTo(live.replace(" <a href=\"../../../search\">search</a>", ""));
        }
    }

    @Test
    void withPseudonymsTheTranscriptIsRewrittenAndTheJournalLeftOut() throws Exception {
        Archives.finished(dir, "tides", "tides-1", "Hello", "alice: it is me, alice");
        StaticSite.export(new WebOptions(dir, ZoneId.of("UTC"), true, Set.of(), Set.of()), out);
        assertThat(Files.readString(out.resolve("c/tides/tides-1/transcript.md"))).doesNotContain("alice")
                .contains("### Guest ");
        assertThat(Files.readString(out.resolve("c/tides/tides-1/index.html"))).doesNotContain("alice");
        assertThat(out.resolve("c/tides/tides-1/journal.jsonl")).doesNotExist();
    }
}
