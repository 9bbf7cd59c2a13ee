package server

import (
	"context"
	"encoding/json"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestSettingsFromEnv(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		want    Settings
		wantErr string
	}{
		{name: "defaults", env: map[string]string{}, want: Settings{Port: 8080}},
		{name: "port and host", env: map[string]string{"PORT": "9000", "HOST": "127.0.0.1"}, want: Settings{Host: "127.0.0.1", Port: 9000}},
		{name: "port zero picks a free port", env: map[string]string{"PORT": "0"}, want: Settings{Port: 0}},
		{name: "not a number", env: map[string]string{"PORT": "http"}, wantErr: "must be a number"},
		{name: "too large", env: map[string]string{"PORT": "65536"}, wantErr: "between 0 and 65535"},
		{name: "negative", env: map[string]string{"PORT": "-1"}, wantErr: "between 0 and 65535"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := SettingsFromEnv(func(key string) string { return tt.env[key] })
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if got != tt.want {
				t.Fatalf("settings = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestAddr(t *testing.T) {
	if got := (Settings{Port: 8080}).Addr(); got != ":8080" {
		t.Fatalf("Addr() = %q, want :8080 (every interface)", got)
	}
}

func TestHandler(t *testing.T) {
	tests := []struct {
		method, path string
		status       int
		body         map[string]string
	}{
		{http.MethodGet, "/healthz", http.StatusOK, map[string]string{"status": "ok"}},
		{http.MethodGet, "/healthz?probe=1", http.StatusOK, map[string]string{"status": "ok"}},
		{http.MethodPost, "/healthz", http.StatusMethodNotAllowed, map[string]string{"error": "method not allowed"}},
		{http.MethodGet, "/nope", http.StatusNotFound, map[string]string{"error": "not found"}},
		{http.MethodGet, "/", http.StatusNotFound, map[string]string{"error": "not found"}},
	}
	handler := Handler(log.New(io.Discard, "", 0))
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			recorder := httptest.NewRecorder()
			handler.ServeHTTP(recorder, httptest.NewRequest(tt.method, tt.path, nil))
			if recorder.Code != tt.status {
				t.Fatalf("status = %d, want %d", recorder.Code, tt.status)
			}
			if got := recorder.Header().Get("Content-Type"); got != "application/json" {
				t.Fatalf("Content-Type = %q", got)
			}
			var body map[string]string
			if err := json.Unmarshal(recorder.Body.Bytes(), &body); err != nil {
				t.Fatalf("body %q is not JSON: %v", recorder.Body.String(), err)
			}
			if len(body) != len(tt.body) || body["status"] != tt.body["status"] || body["error"] != tt.body["error"] {
				t.Fatalf("body = %v, want %v", body, tt.body)
			}
		})
	}
}

// The service as a client sees it: a real listener answers /healthz, and cancelling (what SIGTERM
// does in main) stops it promptly and cleanly.
func TestServeAnswersHealthThenStopsOnCancel(t *testing.T) {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var logs strings.Builder
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, listener, log.New(&logs, "", 0)) }()

	response, err := http.Get("http://" + listener.Addr().String() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	_ = response.Body.Close()
	if response.StatusCode != http.StatusOK {
		t.Fatalf("GET /healthz = %d, want 200", response.StatusCode)
	}

	started := time.Now()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Serve returned %v after cancel, want nil", err)
		}
	case <-time.After(ShutdownTimeout + time.Second):
		t.Fatal("Serve did not return after cancel")
	}
	if elapsed := time.Since(started); elapsed > time.Second {
		t.Fatalf("stopping took %s, want well under a second", elapsed)
	}
	for _, want := range []string{"listening on", "GET /healthz", "shutting down", "stopped"} {
		if !strings.Contains(logs.String(), want) {
			t.Fatalf("logs lack %q:\n%s", want, logs.String())
		}
	}
}
