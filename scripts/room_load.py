#!/usr/bin/env python3
"""The room under load, for docs/performance.md: the release binary hosting
a meeting in a pseudo-terminal, and terminals joined to it through the
session's join socket (the protocol of `hotwash join`, src/room/local.rs),
driven from here so that twenty of them cost this script next to nothing.

What it measures (each against `target/release/hotwash`):

  cpu     the host's CPU with a section timer running, over --secs seconds:
          alone, then with --viewers idle viewers joined (utime + stime from
          /proc/PID/stat, and the scheduler's nanosecond count of all its
          threads from /proc/PID/task/*/schedstat); frames and bytes each
          viewer received meanwhile.
  bytes   bytes one joined terminal receives per frame: a viewer's frame on
          a timer tick, a viewer's frame when the scribe commits an item,
          and the scribe's own frame echoing one typed key.
  stall   the room's latency while one viewer's connection is stalled: the
          scribe commits an item, until it is on another viewer's screen;
          --items items with nobody stalled, then as many with a viewer that
          never reads (joined at 500x200 and resizing, so its frames are
          large and its socket fills), then as many again --stall-wait
          seconds later, and as many once it has left (a control for the
          machine's own drift). It must not grow.

A frame ends with ratatui's hide-cursor (`ESC [ ? 2 5 l`), as in
scripts/measure.py; the bytes of a frame are those from the end of one to
the end of the next.

Usage: scripts/room_load.py [--only cpu,bytes,stall] [--secs 30]
       [--viewers 20] [--items 20] [--stall-wait 20] [--no-build]
"""

import argparse
import json
import os
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import measure as m  # noqa: E402

FRAME_END = m.FRAME_END


def frame(tag, payload):
    return tag + struct.pack(">H", len(payload)) + payload


def size(cols, rows):
    return struct.pack(">HH", cols, rows)


class Joined:
    """A terminal joined through the socket: what it is sent, by frame."""

    def __init__(self, path, role, cols, rows, reading=True):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.connect(path)
        self.s.sendall(frame(b"H", role.encode() + size(cols, rows)))
        self.reading = reading
        self.parser = m.Text()
        self.text = ""
        self.bytes = 0
        self.tail = b""
        self.cur = 0  # bytes since the last frame's end
        self.frames = []  # (time, bytes) of each frame
        self.closed = False

    def fileno(self):
        return self.s.fileno()

    def read(self):
        try:
            data = self.s.recv(1 << 16)
        except OSError:
            data = b""
        if not data:
            self.closed = True
            return
        t = m.now()
        self.bytes += len(data)
        # A frame's end may straddle two reads: look in the last read's tail too.
        joined = self.tail + data
        off = len(self.tail)
        consumed = 0
        i = joined.find(FRAME_END)
        while i != -1:
            end = i + len(FRAME_END)
            if end > off:
                upto = end - off
                self.frames.append((t, self.cur + upto - consumed))
                self.cur = 0
                consumed = upto
            i = joined.find(FRAME_END, i + 1)
        self.cur += len(data) - consumed
        self.tail = joined[-(len(FRAME_END) - 1):]
        self.text += self.parser.feed(data)

    def keys(self, b):
        self.s.sendall(frame(b"B", b))

    def resize(self, cols, rows):
        self.s.sendall(frame(b"R", size(cols, rows)))

    def close(self):
        self.s.close()


class Room:
    """The host in a pty and the joined terminals, read as one."""

    def __init__(self, tmp, name):
        self.host, self.data = m.new_meeting(tmp, name=name)
        self.host.wait_for(lambda: self.host.frames, what="the host's first frame")
        self.host.quiet(0.5)
        sessions = os.path.join(self.data, "sessions")
        session = sorted(os.listdir(sessions))[-1]
        self.sock = os.path.join(sessions, session, "room.sock")
        deadline = m.now() + 10
        while not os.path.exists(self.sock):
            if m.now() > deadline:
                raise TimeoutError("no join socket")
            time.sleep(0.05)
        self.joined = []

    def join(self, role, cols, rows, reading=True):
        j = Joined(self.sock, role, cols, rows, reading)
        self.joined.append(j)
        self.wait(lambda: j.frames or not reading, f"the {role}'s first frame")
        return j

    def pump(self, timeout):
        import select

        fds = [self.host.fd] + [j for j in self.joined if j.reading and not j.closed]
        r, _, _ = select.select(fds, [], [], max(timeout, 0))
        for f in r:
            if f == self.host.fd:
                self.host.pump(0)
            else:
                f.read()
        return bool(r)

    def wait(self, pred, what, timeout=20.0):
        deadline = m.now() + timeout
        while not pred():
            left = deadline - m.now()
            if left <= 0:
                raise TimeoutError(f"timed out waiting for {what}")
            self.pump(left)
        return m.now()

    def drain_for(self, secs):
        deadline = m.now() + secs
        while (left := deadline - m.now()) > 0:
            self.pump(left)

    def start_timer(self):
        mark = len(self.host.text)
        self.host.send(" ")
        self.wait(lambda: "running" in self.host.text[mark:], "the timer running")

    def end(self):
        for j in self.joined:
            j.close()
        m.quit_app(self.host)


def cpu_over(room, secs):
    frames0 = [len(j.frames) for j in room.joined]
    bytes0 = [j.bytes for j in room.joined]
    cpu0, sched0 = m.cpu_seconds(room.host.pid)
    t0 = m.now()
    room.drain_for(secs)
    cpu1, sched1 = m.cpu_seconds(room.host.pid)
    elapsed = m.now() - t0
    frames = [len(j.frames) - f for j, f in zip(room.joined, frames0)]
    sent = [j.bytes - b for j, b in zip(room.joined, bytes0)]
    out = {
        "seconds": round(elapsed, 1),
        "cpu_ticks_s": round(cpu1 - cpu0, 3),
        "cpu_sched_s": round(sched1 - sched0, 4),
        "cpu_percent_of_core": round(100 * (sched1 - sched0) / elapsed, 3),
    }
    if room.joined:
        out["frames_per_viewer"] = {"min": min(frames), "max": max(frames)}
        out["bytes_per_viewer_per_second"] = round(statistics.fmean(sent) / elapsed, 1)
    return out


def cpu(tmp, secs, viewers):
    room = Room(tmp, "cpu")
    room.start_timer()
    room.drain_for(1.5)
    alone = cpu_over(room, secs)
    print("host alone, timer running:", alone, flush=True)
    for _ in range(viewers):
        room.join("v", 120, 40)
    room.drain_for(2.0)
    joined = cpu_over(room, secs)
    print(f"host with {viewers} idle viewers, timer running:", joined, flush=True)
    room.end()
    return {"alone": alone, "viewers": viewers, "with_viewers": joined}


def sizes(frames):
    b = [n for _, n in frames]
    return {"frames": len(b), "median_bytes": statistics.median(b), "max_bytes": max(b)} if b else None


def bytes_per_frame(tmp, cols=120, rows=40):
    room = Room(tmp, "bytes")
    viewer = room.join("v", cols, rows)
    scribe = room.join("s", cols, rows)
    room.start_timer()
    room.drain_for(1.5)
    # Timer ticks: a viewer's frames over 10 s with nothing else happening.
    mark = len(viewer.frames)
    room.drain_for(10)
    tick = sizes(viewer.frames[mark:])
    # The scribe types: its own echo frames, one key each.
    scribe.keys(b"a")
    room.wait(lambda: "Add a note" in scribe.text, "the scribe's input")
    room.drain_for(0.5)
    echo = []
    for c in "qwrtyupzxcbmkjfh":
        mark_t, mark_f = len(scribe.text), len(scribe.frames)
        scribe.keys(c.encode())
        room.wait(lambda: c in scribe.text[mark_t:], f"the echo of {c!r}")
        room.drain_for(0.15)
        echo.extend(scribe.frames[mark_f:mark_f + 1])
    # The item committed: the viewer's frame that shows it.
    mark_v = len(viewer.frames)
    vmark = len(viewer.text)
    scribe.keys(b"\r")
    room.wait(lambda: "qwrtyupzxcbmkjfh" in viewer.text[vmark:], "the item on the viewer")
    room.drain_for(0.3)
    item = sizes(viewer.frames[mark_v:mark_v + 1])
    room.end()
    out = {
        "terminal": f"{cols}x{rows}",
        "viewer_timer_tick": tick,
        "scribe_echo_one_key": sizes(echo),
        "viewer_item_committed": item,
    }
    print("bytes per frame:", out, flush=True)
    return out


def latencies(room, scribe, viewer, n, tag):
    """`n` items committed by the scribe, each timed until the viewer shows it."""
    lat = []
    for i in range(n):
        # Every character differs from the previous item's at each place,
        # so the screen diff sends the whole token.
        token = chr(ord("a") + (i + tag) % 20) * 10
        mark = len(scribe.text)
        scribe.keys(b"a")
        room.wait(lambda: "Add a note" in scribe.text[mark:], "the scribe's input")
        mark = len(scribe.text)
        scribe.keys(token.encode())
        room.wait(lambda: token in scribe.text[mark:], "the scribe's text")
        mark = len(viewer.text)
        t0 = m.now()
        scribe.keys(b"\r")
        t1 = room.wait(lambda: token in viewer.text[mark:], "the item on the viewer")
        lat.append(t1 - t0)
        # Deleted again (the scribe's selection is the new item), so the
        # next one shows in the same place on every screen.
        room.drain_for(0.1)
        scribe.keys(b"d")
        room.drain_for(0.2)
    return lat


def unread(j):
    """Bytes waiting, unread, in a joined terminal's socket."""
    import fcntl
    import termios

    return struct.unpack("i", fcntl.ioctl(j.s.fileno(), termios.FIONREAD, b"\0\0\0\0"))[0]


def stall(tmp, items, wait):
    room = Room(tmp, "stall")
    room.start_timer()
    scribe = room.join("s", 120, 40)
    viewer = room.join("v", 120, 40)
    # The room goes to the timeline's neighbour, a notes section is fine:
    # items are added where it stands.
    base = latencies(room, scribe, viewer, items, 0)
    # A viewer that never reads, at the largest size: a few resizes (a
    # whole frame each) fill its socket, and from then on its view can
    # only skip frames.
    stalled = room.join("v", 500, 200, reading=False)
    for i in range(6):
        stalled.resize(500 - (i % 2), 200)
    deadline = m.now() + 20
    while unread(stalled) < 100_000 and m.now() < deadline:
        room.drain_for(0.2)
    room.drain_for(1.0)
    filled = unread(stalled)
    during = latencies(room, scribe, viewer, items, 7)
    room.drain_for(wait)
    later = latencies(room, scribe, viewer, items, 13)
    left = unread(stalled)
    # The stalled viewer goes: what the room's latency is without it, now
    # (a control for the machine's own drift over the run).
    room.joined.remove(stalled)
    stalled.close()
    room.drain_for(1.0)
    after = latencies(room, scribe, viewer, items, 3)
    room.end()

    def s(lat):
        return {"n": len(lat), "p50_ms": m.ms(m.pct(lat, 50)), "p99_ms": m.ms(m.pct(lat, 99)), "max_ms": m.ms(max(lat))}

    out = {
        "nobody_stalled": s(base),
        "one_viewer_stalled": s(during),
        f"stalled_{wait:g}s_later": s(later),
        "after_the_stalled_viewer_left": s(after),
        "unread_bytes_in_the_stalled_socket": {"when_measuring": filled, "at_the_end": left},
    }
    print("room latency, scribe's Enter to a viewer's screen:", out, flush=True)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", help="comma-separated: cpu,bytes,stall")
    ap.add_argument("--secs", type=float, default=30, help="seconds of CPU measured, alone and with viewers")
    ap.add_argument("--viewers", type=int, default=20, help="idle viewers joined for the CPU figure")
    ap.add_argument("--items", type=int, default=20, help="items timed in each phase of the stall")
    ap.add_argument("--stall-wait", type=float, default=20, help="seconds stalled between the last two phases")
    ap.add_argument("--no-build", action="store_true", help="use the binary already built")
    ap.add_argument("--bin", help="the hotwash binary (default target/release/hotwash; implies --no-build)")
    ap.add_argument("--json", default=os.path.join(m.ROOT, "target", "room_load.json"))
    args = ap.parse_args()
    if args.bin:
        m.BIN = os.path.abspath(args.bin)
        args.no_build = True
    only = set(args.only.split(",")) if args.only else {"cpu", "bytes", "stall"}
    if not args.no_build:
        subprocess.run(["cargo", "build", "--release", "--bin", "hotwash"], cwd=m.ROOT, check=True)
    results = {"machine": m.machine(), "host_terminal": f"{m.COLS}x{m.ROWS}"}
    with tempfile.TemporaryDirectory(prefix="hotwash-room-") as tmp:
        if "cpu" in only:
            results["cpu"] = cpu(tmp, args.secs, args.viewers)
        if "bytes" in only:
            results["bytes"] = bytes_per_frame(tmp)
        if "stall" in only:
            results["stall"] = stall(tmp, args.items, args.stall_wait)
    os.makedirs(os.path.dirname(args.json), exist_ok=True)
    with open(args.json, "w") as f:
        json.dump(results, f, indent=2)
    print(f"results in {args.json}")


if __name__ == "__main__":
    sys.exit(main())
