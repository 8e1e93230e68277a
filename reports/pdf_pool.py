"""Long documents cannot hang a worker (issue 16 item 4, reliability-security test 38).

Every PDF is laid out in a child process (reports.pdf.html_to_pdf sends its HTML and CSS
here) with a time limit, UNIONREC_PDF_SECONDS (60). A document not done by then is stopped:
its process is killed, PdfTimeout is raised, and the page answers with the way out (the Excel
file, a smaller selection: PdfTimeoutMiddleware). A kill is the one sure way to stop
WeasyPrint, and it works the same in a threaded server, a server of processes and the task
worker, where a signal-based alarm would not.

Importing WeasyPrint and loading the fonts take about a second, so the processes are kept
warm: a pool of at most UNIONREC_PDF_WORKERS (2) processes, started on first use ("spawn":
a fresh interpreter, no copy of the server's threads or database connections), each laying out
one document at a time. A thread that finds them all busy waits for one. A killed or crashed
process is replaced on the next document."""

from __future__ import annotations

import logging
import multiprocessing
import threading
from multiprocessing.connection import Connection
from typing import Any

from django.conf import settings

log = logging.getLogger("unionrec.reports.pdf")


class PdfTimeout(Exception):
    """A document took longer than its time limit to lay out; its process was stopped."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"PDF not laid out within {seconds:g} s")
        self.seconds = seconds


def _serve(conn: Connection) -> None:
    """A child process: lay out each (html, css) it receives and send back the PDF."""
    from reports.pdf import ResourceRefused, layout

    layout("<p>.</p>", "")  # warm: WeasyPrint's modules and the fonts
    while True:
        try:
            html, css = conn.recv()
        except (EOFError, OSError):
            return
        try:
            conn.send(("ok", layout(html, css)))
        except ResourceRefused as refused:
            conn.send(("refused", str(refused)))
        except Exception as error:  # sent to the parent, which raises it there
            conn.send(("error", f"{type(error).__name__}: {error}"))


class _Process:
    def __init__(self, context: Any) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child,), daemon=True)
        self.process.start()
        child.close()

    def stop(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class Pool:
    def __init__(self) -> None:
        self._idle: list[_Process] = []
        self._running = 0
        self._ready = threading.Condition()
        self._context = multiprocessing.get_context("spawn")

    def _take(self) -> _Process:
        with self._ready:
            while True:
                while self._idle and not self._idle[-1].process.is_alive():
                    self._idle.pop().stop()  # died while idle (killed, out of memory)
                    self._running -= 1
                if self._idle:
                    return self._idle.pop()
                if self._running < int(settings.UNIONREC_PDF_WORKERS):
                    break
                self._ready.wait()
            self._running += 1
        try:
            return _Process(self._context)
        except BaseException:
            self._lost()
            raise

    def _give_back(self, worker: _Process) -> None:
        with self._ready:
            self._idle.append(worker)
            self._ready.notify()

    def _lost(self) -> None:
        with self._ready:
            self._running -= 1
            self._ready.notify()

    def _drop(self, worker: _Process) -> None:
        worker.stop()
        self._lost()

    def render(self, html: str, css: str, seconds: float) -> tuple[str, Any]:
        """The child's answer: ("ok", pdf bytes), ("refused", why) or ("error", what)."""
        worker = self._take()
        try:
            worker.conn.send((html, css))
            # The first document of a new process also waits for it to start and warm up.
            if not worker.conn.poll(seconds):
                self._drop(worker)
                log.warning("PDF stopped after %s s", seconds)
                raise PdfTimeout(seconds)
            answer: tuple[str, Any] = worker.conn.recv()
        except PdfTimeout:
            raise
        except BaseException:
            self._drop(worker)
            raise
        self._give_back(worker)
        return answer

    def close(self) -> None:
        with self._ready:
            idle, self._idle = self._idle, []
            self._running -= len(idle)
        for worker in idle:
            worker.stop()


POOL = Pool()


def render(html: str, css: str) -> tuple[str, Any]:
    """Lay out a document in the pool within UNIONREC_PDF_SECONDS (see the module)."""
    return POOL.render(html, css, float(settings.UNIONREC_PDF_SECONDS))
