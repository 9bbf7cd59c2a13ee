// The Dockerfile frontend as an image entrypoint: BuildKit starts it as a gateway (`# syntax=IMAGE`)
// and it turns the Dockerfile into LLB with the same builder package the engine has built in.
// scripts/e2e/docker.sh compiles it offline against Debian's docker.io source (vendored BuildKit)
// with Debian's Go; nothing here comes from outside Debian.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/moby/buildkit/frontend/dockerfile/builder"
	"github.com/moby/buildkit/frontend/gateway/grpcclient"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := grpcclient.RunFromEnvironment(ctx, builder.Build); err != nil {
		fmt.Fprintf(os.Stderr, "dockerfile frontend: %+v\n", err)
		os.Exit(1)
	}
}
