package dev.parley.web;

import java.io.IOException;
import java.util.List;

/** {@code /search?q=words&speaker=name}: the archive's episodes with every word, newest first. */
final class SearchPage {
    static final int LIMIT = 50;

    private final Catalog catalog;
    private final Pages pages;
    private final Search search;

    SearchPage(Catalog catalog, Pages pages) {
        this.catalog = catalog;
        this.pages = pages;
        this.search = new Search(s -> catalog.journal(s.id()), pages.pseudonyms());
    }

    void search(Exchange ex) throws IOException {
        String query = Html.shorten(ex.query("q"), 200);
        String speaker = Html.shorten(ex.query("speaker"), 100);
        long start = System.nanoTime();
        List<Search.Hit> hits = search.find(catalog.episodes(), query, speaker, LIMIT);
        long micros = (System.nanoTime() - start) / 1000;
        ex.page(200, out -> pages.search(out, query, speaker, hits, micros, LIMIT));
    }

    Search search() {
        return search;
    }
}
