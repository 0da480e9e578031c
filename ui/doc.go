// Package ui is Enlace's desktop interface, built with Fyne. It turns user
// actions into calls on data.Store and reports into windows; it holds no
// business rules. Widgets are touched only from the UI goroutine: work done
// elsewhere comes back through fyne.Do.
package ui
