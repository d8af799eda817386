package io.chatops.hub.http;

/**
 * A request that cannot be served, with its HTTP status and the API's error code; answered as
 * {@code {"error":{"code":…,"message":…}}}. The message is for the client: it names the problem
 * and never carries a secret or a stack trace. Features may refine it (the agents' unavailability),
 * so that each kind of failure has its status and code in one place.
 */
public class ApiError extends RuntimeException {
    private final int status;
    private final String code;

    public ApiError(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public static ApiError badRequest(String message) {
        return new ApiError(400, "invalid_request", message);
    }

    public static ApiError unauthorized(String message) {
        return new ApiError(401, "unauthorized", message);
    }

    public static ApiError forbidden(String message) {
        return new ApiError(403, "forbidden", message);
    }

    public static ApiError notFound(String message) {
        return new ApiError(404, "not_found", message);
    }

    public static ApiError conflict(String message) {
        return new ApiError(409, "conflict", message);
    }
}
