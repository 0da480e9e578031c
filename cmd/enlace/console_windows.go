//go:build windows

package main

import (
	"log"
	"os"

	"golang.org/x/sys/windows"
)

// attachParentProcess is AttachConsole's ATTACH_PARENT_PROCESS, (DWORD)-1.
const attachParentProcess = ^uint32(0)

var procAttachConsole = windows.NewLazySystemDLL("kernel32.dll").NewProc("AttachConsole")

// attachConsole makes a command's output reach the console it was typed
// in. enlace.exe is a GUI program (-H=windowsgui, so that the window opens
// without a black console beside it), and Windows gives such a program no
// console: `enlace.exe version` in cmd.exe or PowerShell printed nothing.
// It attaches to the parent's console, if there is one, and points stdout
// and stderr at it; one already redirected to a file or a pipe (`> out.txt`,
// `| findstr`, scripts, Wine's tests) is a valid handle and is kept.
func attachConsole() {
	outOK, errOK := validStd(windows.STD_OUTPUT_HANDLE), validStd(windows.STD_ERROR_HANDLE)
	if outOK && errOK {
		return
	}
	if r, _, _ := procAttachConsole.Call(uintptr(attachParentProcess)); r == 0 {
		return // started from Explorer, a shortcut or a service: no console
	}
	if !outOK {
		reopenConsole(&os.Stdout, windows.STD_OUTPUT_HANDLE)
	}
	if !errOK {
		reopenConsole(&os.Stderr, windows.STD_ERROR_HANDLE)
		log.SetOutput(os.Stderr) // log took the old os.Stderr at start
	}
}

// validStd reports whether the standard handle id refers to something
// that can be written: a console, a file or a pipe.
func validStd(id uint32) bool {
	h, err := windows.GetStdHandle(id)
	if err != nil || h == 0 || h == windows.InvalidHandle {
		return false
	}
	t, err := windows.GetFileType(h)
	return err == nil && t != windows.FILE_TYPE_UNKNOWN
}

// reopenConsole points *f, and the process's standard handle id, at the
// attached console's output.
func reopenConsole(f **os.File, id uint32) {
	c, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0)
	if err != nil {
		return
	}
	*f = c
	_ = windows.SetStdHandle(id, windows.Handle(c.Fd()))
}
