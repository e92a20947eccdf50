package dev.parley.web;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * One request and its response, with the few ways parley answers: a page written as it is rendered, a small
 * text, a file streamed, a 404. Handlers get this instead of Jetty's types, except the live view, which writes
 * asynchronously through {@link #response()}.
 */
final class Exchange {
    private final Request request;
    private final Response response;
    private final Callback callback;
    private final List<String> path;
    private final String notFound;

    Exchange(Request request, Response response, Callback callback, List<String> path, String notFound) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.path = path;
        this.notFound = notFound;
    }

    /** The path's segments, each known safe (no encoding, no dot segments); "" for a trailing slash. */
    List<String> path() {
        return path;
    }

    String query(String name) {
        Fields fields = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
        String v = fields.getValue(name);
        return v == null ? "" : v;
    }

    String header(String name) {
        return request.getHeaders().get(name);
    }

    Request request() {
        return request;
    }

    Response response() {
        return response;
    }

    Callback callback() {
        return callback;
    }

    /** What writes a page, given a writer that goes to the browser as the page is made. */
    interface Body {
        void write(Writer out) throws IOException;
    }

    void page(int status, Body body) throws IOException {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8");
        stream(body);
    }

    void text(int status, String contentType, String text) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        Content.Sink.write(response, true, text, callback);
    }

    void stream(Body body) throws IOException {
        try (OutputStream raw = Content.Sink.asOutputStream(response);
             Writer out = new BufferedWriter(new OutputStreamWriter(raw, StandardCharsets.UTF_8), 16 * 1024)) {
            body.write(out);
        }
        callback.succeeded();
    }

    void download(String contentType, String fileName, InputStream in) throws IOException {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_DISPOSITION, "attachment; filename=\"" + fileName + "\"");
        try (in; OutputStream out = Content.Sink.asOutputStream(response)) {
            in.transferTo(out);
        }
        callback.succeeded();
    }

    void redirect(String location) {
        Response.sendRedirect(request, response, callback, 302, location, false);
    }

    void notFound() {
        text(404, "text/html; charset=utf-8", notFound);
    }
}
