//go:build !unix

package datatest

import "time"

// CPUTime is not measured here.
func CPUTime() time.Duration { return 0 }

// ChildCPUTime is not measured here.
func ChildCPUTime() time.Duration { return 0 }
