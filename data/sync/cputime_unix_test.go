//go:build unix

package sync

import (
	"syscall"
	"time"
)

// cpuTime is the processor time, user and system, this process has used
// (the benchmarks' Apache is another process: not counted).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
