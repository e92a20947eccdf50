package dev.parley.web;

import dev.parley.archive.EpisodeId;
import dev.parley.archive.TranscriptWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * The archive as a static site: the same pages the server makes (without the live parts and search), at the same
 * relative paths, so a permalink into the live site works in the export too. Private conversations are left out;
 * with pseudonyms on, transcripts are rewritten with them and journals (which hold the real names) are left out.
 */
public final class StaticSite {
    /** What an export wrote. */
    public record Result(int episodes, int pages, Path index) { }

    private StaticSite() { }

    public static Result export(WebOptions options, Path out) {
        Visibility visibility = options.visibility();
        Catalog catalog = new Catalog(options.transcriptsDir(), visibility);
        Pages pages = new Pages(false, options.pseudonymsFor(), options.zone(), visibility);
        try {
            Files.createDirectories(out);
            Files.writeString(out.resolve(Assets.STYLE), Assets.text(Assets.STYLE));
            List<EpisodeSummary> all = catalog.episodes();
            Map<EpisodeId, Integer> numbers = catalog.episodeNumbers();
            int indexPages = Math.max(1, (all.size() + Pages.EPISODES_PER_PAGE - 1) / Pages.EPISODES_PER_PAGE);
            int written = 0;
            for (int p = 1; p <= indexPages; p++) {
                int page = p;
                write(out.resolve(p == 1 ? "index.html" : "page-" + p + ".html"),
                        w -> pages.index(w, List.of(), all, page, numbers));
                written++;
            }
            for (EpisodeSummary s : all) {
                Path journal = catalog.journal(s.id());
                if (journal == null) {
                    continue;
                }
                Path dir = out.resolve(Pages.href(s.id()));
                Files.createDirectories(dir);
                for (int p = 1; p <= s.pages(); p++) {
                    int page = p;
                    write(dir.resolve(EpisodeSummary.pageFile(p)),
                            w -> pages.episode(w, s, journal, page, numbers.get(s.id()), null));
                    written++;
                }
                Path md = s.id().transcript(options.transcriptsDir());
                if (!options.pseudonyms() && Files.isRegularFile(md, LinkOption.NOFOLLOW_LINKS)) {
                    Files.copy(md, dir.resolve("transcript.md"), StandardCopyOption.REPLACE_EXISTING);
                } else if (Files.size(journal) <= ArchivePages.MAX_RENDERED_JOURNAL) {
                    Files.write(dir.resolve("transcript.md"),
                            TranscriptWriter.renderBytes(ArchivePages.transcriptOf(s, journal, pages)));
                }
                if (!options.pseudonyms()) {
                    Files.copy(journal, dir.resolve("journal.jsonl"), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return new Result(all.size(), written, out.resolve("index.html"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the site to " + out + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path file, Exchange.Body body) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            body.write(w);
        }
    }
}
