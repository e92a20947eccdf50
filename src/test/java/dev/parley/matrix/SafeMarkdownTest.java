package dev.parley.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class SafeMarkdownTest {
    @Test
    void plainTextNeedsNoHtml() {
        assertNull(SafeMarkdown.toHtml("just words, 2 * 3 = 6"));
        assertNull(SafeMarkdown.toHtml("two\nlines"));
    }

    @Test
    void htmlInTheInputIsShownAsText() {
        assertEquals("&lt;script&gt;alert(1)&lt;/script&gt; <strong>bold</strong>",
                SafeMarkdown.toHtml("<script>alert(1)</script> **bold**"));
        assertEquals("<em>&lt;img src=x onerror=&quot;a()&quot;&gt;</em>",
                SafeMarkdown.toHtml("*<img src=x onerror=\"a()\">*"));
    }

    @Test
    void theSubsetModelsUse() {
        assertEquals("<strong>b</strong> <em>i</em> <del>s</del> <code>**not bold**</code><br/>next",
                SafeMarkdown.toHtml("**b** _i_ ~~s~~ `**not bold**`\nnext"));
        assertEquals("x<pre><code>if (a &lt; b) {\n  **y**\n}</code></pre>after",
                SafeMarkdown.toHtml("x\n```java\nif (a < b) {\n  **y**\n}\n```\nafter"));
        assertEquals("snake_case_name and <em>it</em>", SafeMarkdown.toHtml("snake_case_name and *it*"));
    }

    @Test
    void noLinksAreMade() {
        assertNull(SafeMarkdown.toHtml("[click](javascript:alert(1))"));
    }
}
