// Package server is the service's HTTP handling and lifecycle, apart from main so that tests can
// drive it without a process or a fixed port.
package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"strconv"
	"time"
)

// ShutdownTimeout bounds a graceful stop: in-flight requests get this long after SIGTERM.
const ShutdownTimeout = 5 * time.Second

// Settings say where the service listens.
type Settings struct {
	// Host is the bind address; empty means every interface, as a container needs.
	Host string
	// Port is the TCP port; 0 picks a free one (the tests do).
	Port int
}

// Addr is the listen address, host:port.
func (s Settings) Addr() string {
	return net.JoinHostPort(s.Host, strconv.Itoa(s.Port))
}

// SettingsFromEnv reads HOST and PORT (default 8080), refusing a port outside 0-65535.
func SettingsFromEnv(getenv func(string) string) (Settings, error) {
	settings := Settings{Host: getenv("HOST"), Port: 8080}
	raw := getenv("PORT")
	if raw == "" {
		return settings, nil
	}
	port, err := strconv.Atoi(raw)
	if err != nil {
		return Settings{}, fmt.Errorf("PORT must be a number, not %q", raw)
	}
	if port < 0 || port > 65535 {
		return Settings{}, fmt.Errorf("PORT must be between 0 and 65535, not %d", port)
	}
	settings.Port = port
	return settings, nil
}

// Handler answers GET /healthz; everything else is 404. Every request is logged.
func Handler(logger *log.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", health)
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "not found"})
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		logger.Printf("%s %s %s", r.RemoteAddr, r.Method, r.URL.Path)
		mux.ServeHTTP(w, r)
	})
}

func health(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "method not allowed"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func writeJSON(w http.ResponseWriter, status int, payload map[string]string) {
	body, err := json.Marshal(payload)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// Serve answers on listener until ctx is done, then stops accepting and lets in-flight requests
// finish within ShutdownTimeout. It returns nil after a clean stop.
func Serve(ctx context.Context, listener net.Listener, logger *log.Logger) error {
	server := &http.Server{
		Handler: Handler(logger),
		// Bounded header reads: a slow client cannot hold a connection open forever.
		ReadHeaderTimeout: 5 * time.Second,
		IdleTimeout:       60 * time.Second,
	}
	served := make(chan error, 1)
	go func() { served <- server.Serve(listener) }()
	logger.Printf("listening on %s", listener.Addr())

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	logger.Print("shutting down")
	stopping, cancel := context.WithTimeout(context.Background(), ShutdownTimeout)
	defer cancel()
	if err := server.Shutdown(stopping); err != nil {
		return err
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	logger.Print("stopped")
	return nil
}
