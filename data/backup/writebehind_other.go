//go:build !linux

package backup

import "os"

// writeBehind writes to f: starting the write-back early is Linux's
// sync_file_range (writebehind_linux.go).
type writeBehind struct{ f *os.File }

func (w *writeBehind) Write(p []byte) (int, error) { return w.f.Write(p) }

// linksInto is false: without write-behind there is nothing to decide.
func linksInto(string, Destination) bool { return false }

// fileSink returns what the encrypted backup is written to on its way
// into f: a buffer in front of it.
func fileSink(f *os.File, _ bool) sink { return bufferedSink(f) }
