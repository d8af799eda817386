package io.chatops.hub.ops;

import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The API described: {@code /api/v1/openapi.json} (every route, its least role, how to
 * authenticate) and Swagger UI at {@code /api/docs}, from the swagger-ui webjar. Both public: they
 * describe the API, they do not call it.
 */
public final class ApiDocs {
    static final String SWAGGER_VERSION = "5.34.1";
    private static final String PAGE = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>ChatOps hub API</title>
            <link rel="stylesheet" href="/api/docs/swagger-ui.css"></head>
            <body><div id="ui"></div><script src="/api/docs/swagger-ui-bundle.js"></script>
            <script>SwaggerUIBundle({url: "/api/v1/openapi.json", dom_id: "#ui"});</script></body></html>
            """;

    private final String document;

    public ApiDocs() throws IOException {
        try (InputStream in = ApiDocs.class.getResourceAsStream("/openapi/openapi.json")) {
            if (in == null) {
                throw new IOException("the hub was built without its OpenAPI document");
            }
            document = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    public void register(JavalinConfig config) {
        config.routes.get("/api/v1/openapi.json", ctx -> ctx.contentType("application/json").result(document));
        config.routes.get("/api/docs", ctx -> ctx.html(PAGE));
        config.staticFiles.add(files -> {
            files.hostedPath = "/api/docs";
            files.directory = "/META-INF/resources/webjars/swagger-ui/" + SWAGGER_VERSION;
            files.location = Location.CLASSPATH;
        });
    }
}
