"""The checker, in its own process: `python -m game.lsp.worker`.

Loading and checking a story of 10,000 scenes takes seconds of pure Python; in the
server's process it would hold the GIL while the writer waits for a completion. So the
server keeps one worker process and sends it one JSON line per check:
`{"root": ..., "overlays": {path: text}}`; the worker answers one JSON line:
`{"diagnostics": [[path, line, start, end, severity, message], ...]}` with LSP positions
(0-based line, columns in the client's encoding; `end` covers the word the diagnostic points at).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Mapping
from typing import IO, Any

from .index import check_with_overlays
from .walk import client_col

_WORD = re.compile(r"[\"']?[A-Za-z0-9_./-]+[\"']?|\S")


def check(root: str, overlays: Mapping[str, str], encoding: str = "utf-16") -> list[list[Any]]:
    diagnostics = check_with_overlays(root, overlays)
    lines: dict[str, list[str]] = {}
    out: list[list[Any]] = []
    for d in diagnostics:
        path = os.path.abspath(d.path)
        if path not in lines:
            text = overlays.get(path)
            if text is None:
                try:
                    with open(path, encoding="utf-8", errors="replace") as fh:
                        text = fh.read()
                except OSError:
                    text = ""
            lines[path] = text.split("\n")
        file_lines = lines[path]
        line = max(d.line - 1, 0)
        text = file_lines[line].rstrip("\r") if line < len(file_lines) else ""
        col = min(max(d.col - 1, 0), len(text))
        word = _WORD.match(text, col)
        end = word.end() if word else col
        out.append(
            [
                path,
                line,
                client_col(text, col, encoding),
                client_col(text, end, encoding),
                d.severity,
                d.message,
            ]
        )
    return out


def main() -> int:
    # stdout is the answer channel: nothing else may write to it
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    for request in sys.stdin:
        try:
            ask = json.loads(request)
            found = check(ask["root"], ask.get("overlays", {}), ask.get("encoding", "utf-16"))
            reply: dict[str, Any] = {"diagnostics": found}
        except Exception as exc:  # a checker crash must not take the server with it
            reply = {"error": f"{type(exc).__name__}: {exc}"}
        answers.write(json.dumps(reply) + "\n")
        answers.flush()
    return 0


class Worker:
    """The server's handle on the worker process; started on first use, restarted if it
    died. `check` blocks: the server calls it from a thread."""

    def __init__(self) -> None:
        self._proc: subprocess.Popen[str] | None = None
        self._lock = threading.Lock()
        self.stopped = False

    def check(self, root: str, overlays: Mapping[str, str], encoding: str = "utf-16") -> list[list[Any]]:
        with self._lock:
            for _ in range(2):
                if self.stopped:
                    raise RuntimeError("the server is shutting down")
                proc = self._start()
                stdin: IO[str] | None = proc.stdin
                stdout: IO[str] | None = proc.stdout
                assert stdin is not None and stdout is not None
                try:
                    stdin.write(
                        json.dumps({"root": root, "overlays": dict(overlays), "encoding": encoding}) + "\n"
                    )
                    stdin.flush()
                    line = stdout.readline()
                except (BrokenPipeError, OSError):
                    line = ""
                if line:
                    reply = json.loads(line)
                    if "error" in reply:
                        raise RuntimeError(reply["error"])
                    return list(reply["diagnostics"])
                self._proc = None  # it died: start a new one once
            raise RuntimeError("the checker process stopped")

    def _start(self) -> subprocess.Popen[str]:
        if self._proc is None or self._proc.poll() is not None:
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "game.lsp.worker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=None,  # the server's stderr: the editor's log of the server
                text=True,
                encoding="utf-8",
                bufsize=1,
            )
        return self._proc

    def stop(self) -> None:
        self.stopped = True
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            proc.kill()  # a check in progress is of no use to anyone now
            proc.wait()


if __name__ == "__main__":
    sys.exit(main())
