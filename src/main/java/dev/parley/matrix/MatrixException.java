package dev.parley.matrix;

/**
 * A request the homeserver refused for good (4xx other than rate limiting), or a client that was closed.
 * {@code status} is the HTTP status (0 when no response), {@code errcode} the Matrix error code ("M_FORBIDDEN").
 */
public final class MatrixException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String errcode;

    public MatrixException(int status, String errcode, String message) {
        super(message);
        this.status = status;
        this.errcode = errcode == null ? "" : errcode;
    }

    public int status() {
        return status;
    }

    public String errcode() {
        return errcode;
    }

    /** The access token is unknown or revoked: nothing will work until someone logs in again. */
    public boolean isAuthFailure() {
        return status == 401 || "M_UNKNOWN_TOKEN".equals(errcode) || "M_MISSING_TOKEN".equals(errcode);
    }
}
