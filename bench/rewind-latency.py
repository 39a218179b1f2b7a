#!/usr/bin/env python3
"""Measures watch's rewind: the time from the save of an edited, applied migration to watch's line
saying it was applied again (printed right after its ledger row is committed).

  rewind-latency.py FILE EDITS -- COMMAND...

COMMAND is `pgshift watch ...` on a database where FILE is already applied. The script waits for
watch to start and keep its first snapshot, then saves FILE EDITS times, each time with a different
last statement, and prints one line per edit: milliseconds, then the words of watch's "rewound"
line (where it restored from). Between edits it waits for watch to be idle again (it keeps a
snapshot of the new state after each edit; a developer's next save comes seconds later).
"""
import os
import queue
import re
import subprocess
import sys
import threading
import time


def main():
    args = sys.argv[1:]
    sep = args.index("--")
    path, edits, command = args[0], int(args[1]), args[sep + 1:]
    original = open(path, encoding="utf-8").read()
    name = os.path.basename(path)
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            text=True, bufsize=1)
    lines = queue.Queue()

    def pump():
        for line in proc.stdout:
            lines.put((time.perf_counter(), line.rstrip("\n")))
        lines.put((time.perf_counter(), None))

    threading.Thread(target=pump, daemon=True).start()

    def wait_for(pattern, timeout):
        end = time.perf_counter() + timeout
        seen = []
        while True:
            try:
                at, line = lines.get(timeout=max(0.01, end - time.perf_counter()))
            except queue.Empty:
                raise SystemExit("rewind-latency: no line matching %r within %s s; saw: %s" % (pattern, timeout, seen[-5:]))
            if line is None:
                raise SystemExit("rewind-latency: watch ended; last lines: %s" % seen[-10:])
            seen.append(line)
            if re.search(pattern, line):
                return at, line, seen

    try:
        wait_for(r"^Watching ", 120)
        time.sleep(5)  # the first pass keeps a snapshot of the database as watch found it
        for i in range(1, edits + 1):
            with open(path, "w", encoding="utf-8") as f:
                f.write(original + "\ncreate table bench_edit_%d (id int, v int default %d);\n" % (i, i))
            saved = time.perf_counter()
            at, _, seen = wait_for(r"applied " + re.escape(name), 300)
            rewound = next((l for l in seen if l.startswith("rewound")), "no rewind line")
            print("%.1f %s" % ((at - saved) * 1000, rewound), flush=True)
            time.sleep(3)  # the snapshot of the new state is kept meanwhile
    finally:
        with open(path, "w", encoding="utf-8") as f:
            f.write(original)
        proc.terminate()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":
    main()
