"""The app's server for bench/cohort.py: started with `streamlit run`, watched through /proc.

The server runs from the app folder given (the working tree, or a copy of it to measure a baseline
while the tree changes) with the library in a fresh SQLite file, so a run touches no one's data.
Its CPU time and resident memory are read from /proc/<pid>: the server is one process (Streamlit
runs every session's script in a thread of it). Used by bench/cohort.py; not a benchmark on its own.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.browser_support import free_port, wait_healthy

START_TIMEOUT_SECONDS = 60
TICKS = os.sysconf("SC_CLK_TCK")
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")


class Server:
    """`streamlit run app.py` in `folder`, with Streamlit options given as --name value pairs."""

    def __init__(self, folder: Path, options: dict[str, str]):
        self.folder, self.options = folder, options
        self.port = free_port()
        self.address = f"http://127.0.0.1:{self.port}"
        self.scratch = tempfile.TemporaryDirectory(prefix="obc_cohort_")
        self.log = Path(self.scratch.name) / "server.log"
        self.process = None

    def __enter__(self) -> Server:
        env = os.environ | {"OBC_DATABASE_URL": f"sqlite:///{self.scratch.name}/library.sqlite3",
                            "OBC_DATA_DIR": self.scratch.name}
        command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
                   "--server.port", str(self.port), "--server.address", "127.0.0.1",
                   "--browser.gatherUsageStats", "false"]
        for name, value in self.options.items():
            command += [f"--{name}", value]
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(command, cwd=self.folder, env=env, stdout=log,
                                            stderr=subprocess.STDOUT)
        wait_healthy(self.address, self.process, self.log, START_TIMEOUT_SECONDS)
        return self

    def __exit__(self, *_) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.scratch.cleanup()

    def cpu_seconds(self) -> float:
        """User plus system CPU time of the server so far (fields 14 and 15 of /proc/<pid>/stat)."""
        stat = Path(f"/proc/{self.process.pid}/stat").read_text()
        fields = stat.rsplit(")", 1)[1].split()  # after the command name, which may hold spaces
        return (int(fields[11]) + int(fields[12])) / TICKS

    def rss_mb(self) -> float:
        pages = int(Path(f"/proc/{self.process.pid}/statm").read_text().split()[1])
        return pages * PAGE_BYTES / 1e6

    def log_lines(self, word: str) -> list[str]:
        """Lines of the server's own output holding `word` (tracebacks a page did not show)."""
        return [line for line in self.log.read_text(errors="replace").splitlines() if word in line]
