//go:build !windows

package main

// attachConsole does nothing: outside Windows a program always writes to
// the terminal, file or pipe it was started with.
func attachConsole() {}
