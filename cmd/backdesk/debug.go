package main

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"time"
)

// checkDebugAddr accepts "" (no debug listener) or a loopback HOST:PORT.
// The profiles are for an operator on the machine itself (or through an
// SSH tunnel): they show the program's inner workings, so they are never
// offered on the public address nor on any other interface.
func checkDebugAddr(addr string) error {
	if addr == "" {
		return nil
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--debug-addr %q: want a loopback HOST:PORT such as 127.0.0.1:6060", addr)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("--debug-addr %q: only a loopback address (127.0.0.1, ::1, localhost) may serve the profiles", addr)
	}
	return nil
}

// debugHandler serves Go's runtime profiles under /debug/pprof/ (see the
// net/http/pprof documentation): the index, cpu ("profile"), heap, allocs,
// goroutine, block, mutex, threadcreate, and the execution trace. Not
// /debug/pprof/cmdline: the command line can hold the mail server's password.
func debugHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /debug/pprof/", pprof.Index)
	mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("GET /debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("POST /debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
	mux.HandleFunc("GET /debug/pprof/cmdline", http.NotFound)
	return mux
}

// startDebug serves debugHandler on addr, a separate listener from the
// public one, until stop is called. A CPU profile or trace runs for as long
// as it is asked to (?seconds=N), so this server has no write timeout.
func startDebug(addr string, logger *slog.Logger) (net.Addr, func(), error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, nil, fmt.Errorf("listen on --debug-addr %s: %v", addr, err)
	}
	hs := &http.Server{Handler: debugHandler(), ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 120 * time.Second,
		MaxHeaderBytes: maxHeaderBytes, ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
	go func() {
		if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("debug listener", "err", err)
		}
	}()
	return ln.Addr(), func() { hs.Close() }, nil
}
