package dev.parley.web;

import dev.parley.archive.EpisodeId;
import dev.parley.archive.JournalFeed;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web view's HTTP server (Jetty) and every route it has, in one place. Read-only: GET and HEAD only, nothing a
 * request says runs anything. A path is taken segment by segment as sent: any percent-encoding, backslash, empty
 * or dot segment is a 404 before any handler sees it, so no request can name a file outside the archive.
 */
public final class WebServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);
    /** Pages load only parley's own stylesheet and script; model text could not run a script even if it got in. */
    static final String CSP = "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; "
            + "img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private final Server server;
    private final ServerConnector connector;
    private final Metrics metrics;
    private final LiveView live;
    private final ArchivePages archive;
    private final SearchPage search;
    private final Health health;
    private final Pages pages;
    private final Catalog catalog;
    /** The meters, when this server made them (else their owner closes them). */
    private final Meters ownMeters;

    private WebServer(WebOptions options, String bind, int port, JournalFeed feed, StatusSource status,
                      String version, Meters meters, boolean ownsMeters) {
        ownMeters = ownsMeters ? meters : null;
        Visibility visibility = options.visibility();
        catalog = new Catalog(options.transcriptsDir(), visibility);
        pages = new Pages(true, options.pseudonymsFor(), options.zone(), visibility);
        archive = new ArchivePages(catalog, pages, status);
        search = new SearchPage(catalog, pages);
        live = new LiveView(feed, catalog, pages, archive);
        health = new Health(status, version);
        metrics = new Metrics(feed, status, meters);
        metrics.watch(live);

        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("parley-web");
        threads.setDaemon(true);
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(true);
        // Paths are checked here, segment by segment, and answered 404; Jetty's own check would answer 400.
        http.setUriCompliance(UriCompliance.UNSAFE);
        connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(bind);
        connector.setPort(port);
        connector.setIdleTimeout(60_000);
        server.addConnector(connector);
        server.setHandler(new Routes());
    }

    /** Starts the server on {@code bind:port} (port 0: any free port). */
    public static WebServer start(WebOptions options, String bind, int port, JournalFeed feed, StatusSource status,
                                  String version) {
        return start(options, bind, port, feed, status, version, new Meters(), true);
    }

    /**
     * The same, serving {@code meters} (made before the rooms and models, which report to them) on
     * {@code /metrics}; the caller closes them after this server.
     */
    public static WebServer start(WebOptions options, String bind, int port, JournalFeed feed, StatusSource status,
                                  String version, Meters meters) {
        return start(options, bind, port, feed, status, version, meters, false);
    }

    private static WebServer start(WebOptions options, String bind, int port, JournalFeed feed, StatusSource status,
                                   String version, Meters meters, boolean ownsMeters) {
        options.visibility().markPrivate();
        WebServer web = new WebServer(options, bind, port, feed, status, version, meters, ownsMeters);
        try {
            web.server.start();
        } catch (Exception e) {
            web.close();
            throw new IllegalStateException("cannot start the web view on " + bind + ":" + port + ": "
                    + e.getMessage(), e);
        }
        LOG.info("web view on {}", web.uri());
        web.warmUp();
        return web;
    }

    /** Reads the archive once in the background, so the first visitor does not wait for thousands of journals. */
    private void warmUp() {
        Thread t = new Thread(() -> {
            try {
                catalog.episodes();
            } catch (RuntimeException e) {
                LOG.warn("web: cannot read the archive: {}", e.getMessage());
            }
        }, "parley-web-archive");
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return connector.getLocalPort();
    }

    public URI uri() {
        String host = connector.getHost() == null || connector.getHost().equals("0.0.0.0") ? "127.0.0.1"
                : connector.getHost();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port() + "/");
    }

    /** For tests: metrics have counted every event published so far. */
    void settleMetrics() throws InterruptedException {
        metrics.settle();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("web view did not stop cleanly: {}", e.getMessage());
        }
        live.close();
        metrics.close();
        if (ownMeters != null) {
            ownMeters.close();
        }
    }

    /** Every route. */
    private final class Routes extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            response.getHeaders().put("Content-Security-Policy", CSP);
            response.getHeaders().put("X-Content-Type-Options", "nosniff");
            response.getHeaders().put("Referrer-Policy", "no-referrer");
            response.getHeaders().put("X-Frame-Options", "DENY");
            List<String> path = segments(request.getHttpURI().getPath());
            Exchange ex = new Exchange(request, response, callback, path == null ? List.of() : path,
                    pages.notFound());
            try {
                if (!request.getMethod().equals("GET") && !request.getMethod().equals("HEAD")) {
                    response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
                    ex.text(405, "text/plain; charset=utf-8", "read-only\n");
                } else if (path == null) {
                    ex.notFound();
                } else {
                    route(ex, path);
                }
            } catch (EofException gone) {
                callback.failed(gone); // the browser left before the page was written: nothing to tell anyone
            } catch (Exception | Error e) {
                LOG.warn("web: {} {} failed", request.getMethod(), request.getHttpURI().getPath(), e);
                if (!response.isCommitted()) {
                    ex.text(500, "text/plain; charset=utf-8", "something went wrong\n");
                } else {
                    callback.failed(e);
                }
            }
            return true;
        }

        private void route(Exchange ex, List<String> path) throws Exception {
            String first = path.get(0);
            if (path.size() == 1) {
                switch (first) {
                    case "", "index.html" -> archive.index(ex, 1);
                    case Assets.STYLE, Assets.SCRIPT -> Assets.serve(ex, first);
                    case "search" -> search.search(ex);
                    case "metrics" -> metrics.serve(ex);
                    case "healthz" -> health.healthz(ex);
                    case "readyz" -> health.readyz(ex);
                    case "version" -> health.version(ex);
                    default -> {
                        int page = ArchivePages.pageNumber(first);
                        if (page > 0) {
                            archive.index(ex, page);
                        } else {
                            ex.notFound();
                        }
                    }
                }
            } else if (first.equals("c") && (path.size() == 3 || path.size() == 4)
                    && EpisodeId.isSafe(path.get(1)) && EpisodeId.isSafe(path.get(2))) {
                EpisodeId id = new EpisodeId(path.get(1), path.get(2));
                if (path.size() == 3) {
                    ex.redirect(path.get(2) + "/");
                } else if (path.get(3).equals("events")) {
                    live.events(ex, id);
                } else {
                    archive.episode(ex, id, path.get(3));
                }
            } else {
                ex.notFound();
            }
        }
    }

    /**
     * The segments of a raw request path, or null if it is one no page has: percent-encoded anything (no page
     * name needs it, and "%2F" or "%2e%2e" are the classic ways out), a backslash, a NUL, an empty or dot segment.
     * A trailing slash gives a last segment "".
     */
    static List<String> segments(String rawPath) {
        if (rawPath == null || !rawPath.startsWith("/") || rawPath.length() > 1024) {
            return null;
        }
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c == '%' || c == '\\' || c < 0x21 || c == ';' || c > 0x7e) {
                return null;
            }
        }
        String[] parts = rawPath.substring(1).split("/", -1);
        List<String> out = new ArrayList<>(parts.length);
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            boolean last = i == parts.length - 1;
            if (p.equals(".") || p.equals("..") || p.isEmpty() && !last) {
                return null;
            }
            out.add(p);
        }
        return out;
    }
}
