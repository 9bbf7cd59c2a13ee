package service;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The JDK's own HTTP server answering GET /healthz; everything else is 404. */
public final class HealthServer {

    private static final int THREADS = 8;

    private final HttpServer server;
    private final ExecutorService executor;

    private HealthServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Bind and start serving (port 0 picks a free port, as the tests do). */
    public static HealthServer start(Settings settings) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 0);
        ExecutorService executor = Executors.newFixedThreadPool(THREADS);
        server.setExecutor(executor);
        server.createContext("/", HealthServer::handle);
        server.start();
        Log.info("listening on port " + server.getAddress().getPort());
        return new HealthServer(server, executor);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Stop accepting, give running requests up to a second, then release the threads. */
    public void stop() {
        server.stop(1);
        executor.shutdown();
        Log.info("stopped");
    }

    private static void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        boolean health = "/healthz".equals(path) && "GET".equals(exchange.getRequestMethod());
        int status = health ? 200 : 404;
        byte[] body = (health ? "{\"status\": \"ok\"}" : "{\"error\": \"not found\"}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
        Log.info(exchange.getRemoteAddress().getAddress().getHostAddress() + " "
                + exchange.getRequestMethod() + " " + path + " " + status);
    }
}
