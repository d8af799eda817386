package io.chatops.hub.chat;

import io.chatops.hub.http.ApiError;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** The form bodies chat platforms post ({@code application/x-www-form-urlencoded}), read from the raw bytes they signed. */
final class Forms {
    private Forms() {
    }

    static Map<String, String> parse(byte[] body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                try {
                    form.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    throw ApiError.badRequest("the form field " + pair.substring(0, equals) + " is not URL-encoded");
                }
            }
        }
        return form;
    }

    static String required(Map<String, String> form, String field) {
        String value = form.get(field);
        if (value == null || value.isBlank()) {
            throw ApiError.badRequest("the request has no " + field);
        }
        return value;
    }
}
