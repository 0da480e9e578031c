//go:build unix

package datatest

import (
	"syscall"
	"time"
)

// CPUTime is the processor time, user and system, this process has used
// (a benchmark's Apache is another process: not counted).
func CPUTime() time.Duration { return rusage(syscall.RUSAGE_SELF) }

// ChildCPUTime is the processor time, user and system, of the children
// this process has waited for.
func ChildCPUTime() time.Duration { return rusage(syscall.RUSAGE_CHILDREN) }

func rusage(who int) time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(who, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
