"""Where a run is executed: a background thread of this process, the request itself
(``JINCHUANG_SIMULATIONS_SYNC=True``), or a separate ``manage.py run_simulations`` process.

Whichever executes a run, it first claims it (services.simulation_claim), so handing the same run to
several workers is harmless: one computes it, the others find nothing to do.
"""

from __future__ import annotations

import logging
import queue
import threading

from django.db import close_old_connections, connections

from jinchuang.simulations.conf import run_synchronously

logger = logging.getLogger(__name__)

_queue: queue.Queue[int] = queue.Queue()
_waiting: set[int] = set()
_lock = threading.Lock()
_thread: threading.Thread | None = None


def hand_off(run_id: int) -> None:
    """Execute the run now (synchronous setting) or queue it for this process's worker thread."""
    if run_synchronously():
        from jinchuang.simulations.services import simulation_execute

        simulation_execute(run_id)
        return
    global _thread
    with _lock:
        if run_id in _waiting:
            return
        _waiting.add(run_id)
        _queue.put(run_id)
        if _thread is None or not _thread.is_alive():
            _thread = threading.Thread(target=_work, name="simulation-worker", daemon=True)
            _thread.start()


def _work() -> None:
    from jinchuang.simulations.services import simulation_execute

    while True:
        run_id = _queue.get()
        with _lock:
            _waiting.discard(run_id)
        try:
            close_old_connections()
            simulation_execute(run_id)
        except Exception:  # keep the thread alive for the next run; the run stays claimable when stale
            logger.exception("simulation worker: run %s", run_id)
        finally:
            connections.close_all()
            _queue.task_done()


def wait_idle() -> None:
    """Block until every queued run of this process has been executed (tests, shutdown)."""
    _queue.join()
