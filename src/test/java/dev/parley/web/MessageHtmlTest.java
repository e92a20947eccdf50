package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MessageHtmlTest {
    /** Model text that tries to run script, load something, or escape its box. */
    static List<String> hostile() {
        return List.of(
                "<script>window.pwned=1</script>",
                "<img src=x onerror=\"window.pwned=1\">",
                "[click](javascript:window.pwned=1)",
                "[click](JaVaScRiPt:window.pwned=1)",
                "[click](java\tscript:window.pwned=1)",
                "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
                "![x](javascript:window.pwned=1)",
                "![x](https://tracker.example/pixel.png)",
                "<svg onload=window.pwned=1><script>window.pwned=1</script></svg>",
                "<a href=\"javascript:window.pwned=1\">x</a>",
                "&lt;script&gt;window.pwned=1&lt;/script&gt;",
                "&#60;img src=x onerror=window.pwned=1&#62;",
                "<iframe srcdoc=\"<script>window.pwned=1</script>\"></iframe>",
                "<style>body{display:none}</style>",
                "[x](vbscript:msgbox)",
                "<<script>script>window.pwned=1<</script>/script>",
                "[a]: javascript:window.pwned=1\n\n[link][a]",
                "<details open ontoggle=window.pwned=1>",
                "```\n<script>window.pwned=1</script>\n```",
                "<form action=https://evil.example><input name=x></form>");
    }

    @ParameterizedTest
    @MethodSource("hostile")
    void hostileTextKeepsNoScriptNoHandlerNoDangerousUrl(String text) {
        String html = MessageHtml.render(text);
        var doc = Jsoup.parseBodyFragment(html);
        assertThat(doc.select("script, img, svg, iframe, style, form, input, details, object, embed")).isEmpty();
        for (Element e : doc.getAllElements()) {
            e.attributes().forEach(a -> {
                assertThat(a.getKey()).doesNotStartWith("on");
                assertThat(a.getValue().toLowerCase().replaceAll("\\s", "")).doesNotContain("javascript:")
                        .doesNotContain("data:").doesNotContain("vbscript:");
            });
        }
    }

    @Test
    void rawHtmlIsShownAsTextNotDropped() {
        String html = MessageHtml.render("<script>alert(1)</script> and <b>bold</b>");
        assertThat(Jsoup.parseBodyFragment(html).text()).contains("<script>alert(1)</script>").contains("<b>bold</b>");
    }

    @Test
    void entitiesStayText() {
        String html = MessageHtml.render("&lt;b&gt; is how you write <b>");
        assertThat(html).doesNotContain("<b>");
        assertThat(Jsoup.parseBodyFragment(html).text()).isEqualTo("<b> is how you write <b>");
    }

    @Test
    void markdownStillRendersAndLinksGetNofollowNoopener() {
        String html = MessageHtml.render("**bold**, *it*, `code`\n\n- one\n- two\n\n[site](https://example.org/a?b=c)");
        var doc = Jsoup.parseBodyFragment(html);
        assertThat(doc.select("strong").text()).isEqualTo("bold");
        assertThat(doc.select("li")).hasSize(2);
        Element a = doc.selectFirst("a");
        assertThat(a.attr("href")).isEqualTo("https://example.org/a?b=c");
        assertThat(a.attr("rel")).isEqualTo("nofollow noopener");
    }

    @Test
    void imagesBecomeLinksSoThePageFetchesNothing() {
        var doc = Jsoup.parseBodyFragment(MessageHtml.render("![a cat](https://example.org/cat.png)"));
        assertThat(doc.select("img")).isEmpty();
        assertThat(doc.selectFirst("a").attr("href")).isEqualTo("https://example.org/cat.png");
        assertThat(doc.text()).contains("a cat");
    }

    @Test
    void aFiftyThousandCharacterLineIsKeptWhole() {
        String line = "x".repeat(50_000);
        long start = System.nanoTime();
        String html = MessageHtml.render(line);
        assertThat(Jsoup.parseBodyFragment(html).text()).isEqualTo(line);
        assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
    }

    @Test
    void blankTextSaysSo() {
        assertThat(MessageHtml.render("   ")).contains("(nothing)");
    }

    @Test
    void namesAreEscapedAndIsolated() {
        assertThat(Html.name("<img src=x onerror=alert(1)>\u202e")).isEqualTo(
                "<bdi>&lt;img src=x onerror=alert(1)&gt;\u202e</bdi>");
        assertThat(Html.esc("a\u0000b\u001bc\"'")).isEqualTo("abc&quot;&#39;");
    }
}
