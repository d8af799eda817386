package io.chatops.hub.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The web server's own refusals — a request it cannot parse (431 headers too large, 400 for a path
 * with {@code %00} or an encoded {@code /}) or one it ends before any route runs — in the API's
 * error shape too, instead of Jetty's HTML page: {@code {"error":{"code","message"}}}.
 */
final class JsonErrorHandler extends ErrorHandler {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause, Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        SecurityHeaders.apply(request.isSecure(), response.getHeaders()::put);
        response.write(true, ByteBuffer.wrap(body(code, message)), callback);
    }

    /** A request so malformed that no {@link Request} exists: the body of the answer Jetty sends before closing. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        SecurityHeaders.apply(false, fields::put);
        return ByteBuffer.wrap(body(status, reason));
    }

    private static byte[] body(int status, String reason) {
        String message = reason == null || reason.isBlank() ? HttpStatus.getMessage(status) : reason;
        try {
            return JSON.writeValueAsBytes(Map.of("error", Map.of("code", ErrorResponses.code(status), "message", message)));
        } catch (JsonProcessingException e) {
            return "{\"error\":{\"code\":\"internal\",\"message\":\"internal error\"}}".getBytes(StandardCharsets.UTF_8);
        }
    }
}
