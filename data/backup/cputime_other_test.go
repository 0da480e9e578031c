//go:build !unix

package backup

import "time"

// cpuTime is not measured here.
func cpuTime() time.Duration { return 0 }
