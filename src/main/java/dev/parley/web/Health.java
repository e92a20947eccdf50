package dev.parley.web;

/** {@code /healthz} (the process answers), {@code /readyz} (every room joined) and {@code /version}. */
final class Health {
    private final StatusSource status;
    private final String version;

    Health(StatusSource status, String version) {
        this.status = status;
        this.version = version;
    }

    void healthz(Exchange ex) {
        ex.text(200, "text/plain; charset=utf-8", "ok\n");
    }

    void readyz(Exchange ex) {
        boolean ready = status.ready();
        ex.text(ready ? 200 : 503, "text/plain; charset=utf-8", ready ? "ready\n" : "not ready\n");
    }

    void version(Exchange ex) {
        ex.text(200, "text/plain; charset=utf-8", "parley " + version + "\n");
    }
}
