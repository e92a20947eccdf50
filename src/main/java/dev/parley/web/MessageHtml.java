package dev.parley.web;

import java.util.Map;
import java.util.Set;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Image;
import org.commonmark.node.Node;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.NodeRenderer;
import org.commonmark.renderer.html.HtmlNodeRendererContext;
import org.commonmark.renderer.html.HtmlRenderer;
import org.commonmark.renderer.html.HtmlWriter;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.safety.Safelist;

/**
 * A message's Markdown as safe HTML. commonmark-java renders it with any raw HTML in the text escaped, images
 * turned into plain links (a page never loads a picture a model chose: that could track readers); then jsoup
 * keeps only the tags and attributes of an allow-list, links only to http, https and mailto, each with
 * {@code rel="nofollow noopener"}. Two independent steps, so a trick that gets through one meets the other.
 */
final class MessageHtml {
    private static final Parser PARSER = Parser.builder().build();
    private static final HtmlRenderer RENDERER = HtmlRenderer.builder()
            .escapeHtml(true)
            .sanitizeUrls(true)
            .softbreak("<br>\n")
            .nodeRendererFactory(ImageAsLink::new)
            .build();
    private static final Safelist ALLOWED = new Safelist()
            .addTags("p", "br", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "hr",
                    "h1", "h2", "h3", "h4", "h5", "h6", "a")
            .addAttributes("a", "href")
            .addAttributes("ol", "start")
            .addProtocols("a", "href", "http", "https", "mailto")
            .addEnforcedAttribute("a", "rel", "nofollow noopener");
    private static final Document.OutputSettings OUTPUT = new Document.OutputSettings().prettyPrint(false);

    private MessageHtml() { }

    /** The HTML of a message body, safe to put inside a {@code <div>}. */
    static String render(String markdown) {
        if (markdown == null || markdown.isBlank()) {
            return "<p class=\"blank\">(nothing)</p>";
        }
        String html = RENDERER.render(PARSER.parse(markdown));
        return Jsoup.clean(html, "", ALLOWED, OUTPUT);
    }

    /** An image written in Markdown, shown as a link with its alt text, so nothing is fetched by the page. */
    private static final class ImageAsLink implements NodeRenderer {
        private final HtmlNodeRendererContext context;
        private final HtmlWriter html;

        ImageAsLink(HtmlNodeRendererContext context) {
            this.context = context;
            this.html = context.getWriter();
        }

        @Override
        public Set<Class<? extends Node>> getNodeTypes() {
            return Set.of(Image.class);
        }

        @Override
        public void render(Node node) {
            Image image = (Image) node;
            StringBuilder alt = new StringBuilder();
            image.accept(new AbstractVisitor() {
                @Override
                public void visit(Text text) {
                    alt.append(text.getLiteral());
                }
            });
            html.tag("a", Map.of("href", context.encodeUrl(image.getDestination())));
            html.text("image: " + (alt.length() == 0 ? image.getDestination() : alt));
            html.tag("/a");
        }
    }
}
