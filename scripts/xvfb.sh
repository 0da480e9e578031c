# xvfb.sh is sourced by scripts/smoke.sh and scripts/wine-test.sh: the
# private X display they run Enlace on, and stopping what they started.
#
# After sourcing: stop PID terminates that process (if alive) and reaps
# it; start_display FIRST LAST starts Xvfb (1280x800) on the first free
# display in :FIRST..:LAST and sets $display and $xvfb_pid, or returns 1
# with Xvfb's log on stderr. Both use $tmp, the caller's temporary folder.

xvfb_pid=
display=

# stop terminates process $1 (if we started it and it is alive) and reaps it.
stop() {
	local pid=$1
	[[ -n $pid ]] || return 0
	kill -0 "$pid" 2>/dev/null || return 0
	kill -TERM "$pid" 2>/dev/null || true
	for _ in {1..50}; do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

# start_xvfb starts Xvfb on display :$1 and waits until it accepts clients.
start_xvfb() {
	local n=$1
	Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp >"$tmp/xvfb.log" 2>&1 &
	xvfb_pid=$!
	for _ in {1..100}; do
		if ! kill -0 "$xvfb_pid" 2>/dev/null; then
			wait "$xvfb_pid" 2>/dev/null || true
			xvfb_pid=
			return 1
		fi
		if [[ -S /tmp/.X11-unix/X$n ]] && xwininfo -display ":$n" -root >/dev/null 2>&1; then
			return 0
		fi
		sleep 0.1
	done
	stop "$xvfb_pid"
	xvfb_pid=
	return 1
}

# start_display starts Xvfb on the first free display in :$1..:$2.
start_display() {
	local n
	for ((n = $1; n <= $2; n++)); do
		[[ -e /tmp/.X11-unix/X$n || -e /tmp/.X$n-lock ]] && continue
		if start_xvfb "$n"; then
			display=:$n
			return 0
		fi
	done
	cat "$tmp/xvfb.log" >&2 2>/dev/null || true
	return 1
}
