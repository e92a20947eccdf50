package dev.parley.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The stylesheet and the live-update script, from the jar. */
final class Assets {
    static final String STYLE = "style.css";
    static final String SCRIPT = "live.js";

    private Assets() { }

    static String text(String name) {
        try (InputStream in = Assets.class.getResourceAsStream("/web/" + name)) {
            if (in == null) {
                throw new IllegalStateException("web asset " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void serve(Exchange ex, String name) {
        ex.response().getHeaders().put("Cache-Control", "public, max-age=300");
        ex.text(200, name.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8",
                text(name));
    }
}
