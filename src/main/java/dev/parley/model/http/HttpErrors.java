package dev.parley.model.http;

import dev.parley.model.ModelError;
import dev.parley.model.ModelError.Kind;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Pattern;
import okhttp3.Headers;

/**
 * Turns an HTTP failure into a {@link ModelError} whose message is short, names the cause and is safe to post
 * in a room: provider text is cut to one short line and scrubbed of anything that looks like a key.
 */
public final class HttpErrors {
    private static final int MAX_DETAIL = 160;
    /** Key-like tokens some providers echo back half-masked ("Incorrect API key provided: sk-ab***yz"). */
    private static final Pattern KEY_LIKE = Pattern.compile("\\b(sk|key|rk|pk)[-_][A-Za-z0-9_\\-*.]{6,}");

    private HttpErrors() { }

    /** What a provider's error JSON said, already picked apart; any field may be "". */
    public record ProviderError(String type, String code, String message) {
        public static final ProviderError NONE = new ProviderError("", "", "");
    }

    public static ModelError fromStatus(int status, ProviderError err, Headers headers, Instant now, String secret) {
        return fromStatus(status, err, headers, now, secret, "check api-key-env");
    }

    /** @param keyAdvice what a 401 tells the operator to check ({@link HttpClients#keyAdvice}) */
    public static ModelError fromStatus(int status, ProviderError err, Headers headers, Instant now, String secret,
                                        String keyAdvice) {
        String detail = redact(err.message(), secret);
        String withDetail = detail.isEmpty() ? "" : ": " + detail;
        Duration retryAfter = retryAfter(headers, now);
        return switch (status) {
            case 401 -> new ModelError(Kind.PERMANENT, "unauthorized (401): " + keyAdvice, status, null);
            case 402 -> new ModelError(Kind.PERMANENT, "payment required (402): check the account's credit", status, null);
            case 403 -> new ModelError(Kind.PERMANENT, "forbidden (403)" + withDetail, status, null);
            case 404 -> new ModelError(Kind.PERMANENT, looksLikeModel(err)
                    ? "model not found (404)" : "not found (404): check base-url and model", status, null);
            case 408 -> new ModelError(Kind.TRANSIENT, "request timed out at the server (408)", status, retryAfter);
            case 409 -> new ModelError(Kind.TRANSIENT, "conflict (409)", status, retryAfter);
            case 413 -> new ModelError(Kind.PERMANENT, "request too large (413): lower the seat's context budget", status, null);
            case 422 -> new ModelError(Kind.PERMANENT, "unprocessable request (422)" + withDetail, status, null);
            case 429 -> new ModelError(Kind.RATE_LIMITED, "rate limited (429)" + withDetail, status, retryAfter);
            case 529 -> new ModelError(Kind.RATE_LIMITED, "overloaded (529)", status, retryAfter);
            case 400 -> new ModelError(Kind.PERMANENT, "bad request (400)" + withDetail, status, null);
            default -> status >= 500
                    ? new ModelError(Kind.TRANSIENT, "server error (" + status + ")", status, retryAfter)
                    : new ModelError(Kind.PERMANENT, "refused (" + status + ")" + withDetail, status, null);
        };
    }

    /** A network failure (connection refused, reset, TLS, DNS): worth another try. */
    public static ModelError network(Throwable t) {
        String what = t == null ? "unknown" : t.getClass().getSimpleName();
        if (t instanceof java.net.ConnectException) {
            return ModelError.of(Kind.TRANSIENT, "cannot connect to the model's server");
        }
        if (t instanceof java.net.UnknownHostException) {
            return ModelError.of(Kind.TRANSIENT, "unknown host: check base-url");
        }
        if (t instanceof java.net.SocketTimeoutException) {
            return ModelError.of(Kind.TRANSIENT, "network timeout");
        }
        return ModelError.of(Kind.TRANSIENT, "network error (" + what + ")");
    }

    private static boolean looksLikeModel(ProviderError err) {
        return err.code().contains("model") || err.message().toLowerCase(Locale.ROOT).contains("model");
    }

    /**
     * Retry-After as the server sent it: {@code retry-after-ms} (OpenAI), {@code retry-after} in seconds
     * (possibly fractional) or as an HTTP date. Null when absent or unreadable.
     */
    public static Duration retryAfter(Headers headers, Instant now) {
        if (headers == null) {
            return null;
        }
        String ms = headers.get("retry-after-ms");
        if (ms != null) {
            try {
                double v = Double.parseDouble(ms.trim());
                if (v >= 0) {
                    return Duration.ofMillis(Math.round(v));
                }
            } catch (NumberFormatException ignored) {
                // fall through to retry-after
            }
        }
        String ra = headers.get("retry-after");
        if (ra == null || ra.isBlank()) {
            return null;
        }
        ra = ra.trim();
        try {
            double seconds = Double.parseDouble(ra);
            return seconds < 0 ? null : Duration.ofMillis(Math.round(seconds * 1000));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(ra, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration d = Duration.between(now, at);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException notDate) {
                return null;
            }
        }
    }

    /** {@code text} without the secret or anything key-like, otherwise whole: for debug logs of error bodies. */
    public static String scrub(String text, String secret) {
        if (text == null) {
            return "";
        }
        String s = text;
        if (secret != null && !secret.isBlank()) {
            s = s.replace(secret, "[redacted]");
        }
        return KEY_LIKE.matcher(s).replaceAll("[redacted]");
    }

    /** One short line without control characters, the secret, or anything key-like. */
    public static String redact(String text, String secret) {
        if (text == null || text.isBlank()) {
            return "";
        }
        String s = scrub(text, secret);
        s = s.replaceAll("[\\p{Cntrl}\\s]+", " ").trim();
        if (s.length() > MAX_DETAIL) {
            s = s.substring(0, MAX_DETAIL - 1) + "…";
        }
        return s;
    }
}
