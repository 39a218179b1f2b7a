#!/usr/bin/env python3
"""Time from starting an interactive program on a pseudo-terminal to its first prompt.

usage: first-prompt.py RUNS PROMPT_REGEX QUIT_LINE -- COMMAND [ARG...]
Prints one time in seconds per line. The program runs in the current folder with the current
environment; QUIT_LINE (e.g. 'exit' or '\\q') is typed once the prompt shows.
"""
import os
import fcntl
import pty
import struct
import termios
import re
import select
import signal
import sys
import time


def once(argv, prompt, quit_line, timeout=60.0):
    pid, fd = pty.fork()
    if pid == 0:
        try:
            os.execvp(argv[0], argv)
        finally:
            os._exit(127)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))  # a 120x40 window
    started = time.monotonic()
    seen = b""
    elapsed = None
    while elapsed is None:
        ready, _, _ = select.select([fd], [], [], max(0.0, started + timeout - time.monotonic()))
        if not ready:
            os.kill(pid, signal.SIGKILL)
            raise SystemExit("no prompt within %.0f s; output so far:\n%s" % (timeout, seen.decode(errors="replace")))
        try:
            data = os.read(fd, 65536)
        except OSError:
            data = b""
        if not data:
            raise SystemExit("the program ended before its prompt:\n" + seen.decode(errors="replace"))
        seen += data
        if prompt.search(seen):
            elapsed = time.monotonic() - started
    os.write(fd, quit_line.encode() + b"\n")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:  # drain until it exits, so the pty never blocks it
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                if not os.read(fd, 65536):
                    break
            except OSError:
                break
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            break
    else:
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0) if not done else None
    os.close(fd)
    return elapsed


def main():
    if len(sys.argv) < 6 or sys.argv[4] != "--":
        raise SystemExit(__doc__)
    runs, prompt, quit_line, argv = int(sys.argv[1]), re.compile(sys.argv[2].encode()), sys.argv[3], sys.argv[5:]
    for _ in range(runs):
        print("%.3f" % once(argv, prompt, quit_line), flush=True)


if __name__ == "__main__":
    main()
