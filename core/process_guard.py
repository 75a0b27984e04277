"""Run a command and end it, with every process it started, when our parent ends.

    python process_guard.py COMMAND [ARGUMENT …]

The parent gives us a pipe as stdin and never writes to it. When the parent
ends, however it ends (even `kill -9`), the kernel closes the pipe and reading
stdin returns: then we send SIGTERM to the command, wait up to STOP_SECONDS,
and kill our whole process group (started as a session of its own by the
parent, so it holds the command's children too). SIGTERM to us does the same,
and when the command exits by itself we end too. Used by core.office.UnoServer
so that LibreOffice never outlives the worker that started it; no Django here.
"""

import os
import signal
import subprocess
import sys
import threading

STOP_SECONDS = 10


def main(command: list[str]) -> None:
    child = subprocess.Popen(command, stdin=subprocess.DEVNULL)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    for wait in (sys.stdin.buffer.read, child.wait):
        threading.Thread(
            target=lambda wait=wait: (wait(), stop.set()), daemon=True
        ).start()
    stop.wait()
    child.terminate()
    try:
        child.wait(timeout=STOP_SECONDS)
    finally:
        os.killpg(os.getpgid(0), signal.SIGKILL)


if __name__ == "__main__":
    main(sys.argv[1:])
