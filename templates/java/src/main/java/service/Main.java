package service;

import java.io.IOException;

/** Entry point: serve until SIGTERM or SIGINT, which run the shutdown hook that stops the server. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws IOException {
        HealthServer server = HealthServer.start(Settings.fromEnv(System.getenv()));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Log.info("received a stop signal, shutting down");
            server.stop();
        }, "shutdown"));
    }
}
