//go:build !linux

package backup

import "os"

// linksInto is false: without write-behind there is nothing to decide.
func linksInto(string, Destination) bool { return false }

// fileSink returns what the encrypted backup is written to on its way
// into f: a buffer in front of it.
func fileSink(f *os.File, _ bool) sink { return bufferedSink(f) }
