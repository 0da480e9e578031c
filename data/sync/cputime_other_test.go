//go:build !unix

package sync

import "time"

// cpuTime is not measured here.
func cpuTime() time.Duration { return 0 }
