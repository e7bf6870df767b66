"""Reading the source files of a large dataset on two cores (issue 16).

Each ``[[bron]]`` entry's outcome depends on its file, its adapter and the reading division only
(``opvangkern.dataset.load.compute_source``), so a second process can compute some while this one computes
the others; ``load_dataset`` then records every outcome here, in manifest order, exactly as it records one it
read itself (``_record_source``): the tables, meldingen, counts and cache contents are those of reading one
file after the other.

- **When.** Only when it pays and is safe: at least ``MIN_ENTRIES`` entries to parse (with the cache: entries
  neither the pack nor an entry holds; a pack about as large as the manifest says so before any entry is
  looked at, ``_warm``), more than one usable CPU and one of them free (the load average;
  ``OPVANGKERN_PROCESSEN=2`` skips that check), the default plugins (a ``plugin_manager`` passed to
  ``load_dataset`` may hold plugins another process cannot rebuild), and not turned off by
  ``OPVANGKERN_PROCESSEN=1``.
- **How.** The worker is a fresh interpreter (``subprocess``, never a fork of this process: pyarrow's threads),
  started before the quota files are read so that its imports overlap this process's work. It gets plain
  data only: ``sys.path``, the dataset folder, the division's name and registry, the adapters' names and
  classes; it rebuilds the reading division and the default plugins itself and refuses to work when they
  differ from this process's. It is no ``multiprocessing`` child, so a user's script is never imported
  again in it. The entries travel to it and their outcomes back over two pipes, pickled, but for the
  outcomes' tables: one Arrow IPC stream per chunk for the realisaties, one for the quota points
  (``pack_tables``); the outcomes' pipe is widened to hold a chunk's (``PIPE_BYTES``).
- **Balance.** A thread here hands the worker chunks of ``CHUNK`` entries from the front (two at a time, so
  it never waits for the next), this process computes chunks from the back, until they meet.
- **Never a lost file.** A worker that cannot start, dies, raises or sends what cannot be read loses only
  the chunks it held: ``load_dataset`` reads every entry without an outcome itself.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

__all__ = ["start_reading", "PROCESSES_ENV", "MIN_ENTRIES"]

PROCESSES_ENV = "OPVANGKERN_PROCESSEN"
"""``OPVANGKERN_PROCESSEN=1`` (or ``uit``, ``0``): read every file in this process; ``2``: a second process
whenever there are enough files, however busy the machine is; unset: also only when a CPU is free."""
MIN_ENTRIES = 200
"""Fewer files to parse than this: one process. Starting a worker costs ~0.6-0.9 s of CPU time (an
interpreter, pyarrow, the plugins) and it reads its first file ~0.5 s after it was started; a file costs
~5-7 ms. Measured (``benchmarks/bench_parallel.py``, ``docs/performance.md`` target 2): at 160 files the
command's own process saved ~5 % of its CPU time for ~45 % more in all, at 208 files ~20 % for ~28 %, at
1,040 files ~35 % for ~5 %."""
CHUNK = 8
"""Entries per chunk handed to the worker or taken by this process, at most: a quarter of what is left
when that is less (so that neither process waits long for the other's last chunk at the end)."""
AHEAD = 3
"""Chunks the worker holds at once (one being computed, two waiting): the next is sent only once this process's
thread has read an answer, which waits for the interpreter lock while this process reads files (measured:
with two, the worker waited ~8 ms per chunk for its next one)."""
WAIT_FOR_WORKER = False
"""For the tests: this process computes nothing before the worker has taken its first chunks (or failed),
so that a small dataset is shared too."""
SHARE_HERE = True
"""For the tests: ``False`` leaves every chunk to the worker (this process computes only what it lost)."""


def wanted() -> bool:
    """Whether the environment allows a second process (``OPVANGKERN_PROCESSEN``), there is a second CPU, this
    is a Python interpreter (``python_interpreter``) and (unless ``OPVANGKERN_PROCESSEN=2``) a CPU is free: a load average (this process included) below the
    number of CPUs. On a machine whose cores are all busy a second process cannot shorten the run, only add
    its start."""
    setting = os.environ.get(PROCESSES_ENV, "").strip().lower()
    if setting in ("1", "0", "uit", "nee", "off", "no", "false"):
        return False
    cpus = usable_cpus()
    if cpus < 2 or not python_interpreter():
        return False
    return setting == "2" or load_average() < cpus


def python_interpreter() -> bool:
    """Whether ``sys.executable`` names a Python interpreter that a worker can be started with. A program that
    embeds Python (a WSGI server, an application with its own binary) names itself there, or nothing: started
    with ``-c``, that would not be a worker, so this process reads every file itself."""
    name = (sys.executable or "").replace("\\", "/").rsplit("/", 1)[-1].lower()
    return name.startswith(("python", "pypy"))


def load_average() -> float:
    """The load average of the last minute (0 where the system does not say)."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return 0.0


def usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def start_reading(folder: Path, entries: list, refused: list, installed: dict[str, Any], mapping: Any,
                  cache: Any, worker: Worker | None = None) -> Reading | None:
    """A ``Reading`` of the entries worth reading in a second process, started; ``None``: read them one after
    the other here (too few, one CPU, turned off, or anything that would not rebuild the same).
    ``worker``: one started early (``spawn_early``); it is used or stopped here."""
    try:
        candidates = sum(r is None for r in refused)
        if candidates < MIN_ENTRIES or not wanted():
            return None
        if cache is not None and _warm(cache, candidates):
            return None
        jobs = _jobs(folder, entries, refused, installed, mapping.reading, cache)
        if len(jobs) < MIN_ENTRIES:
            return None
        setup = _setup(folder, installed, mapping, keep_result=cache is not None)
        if setup is None:
            return None
        reading = Reading(jobs, installed, mapping.reading, keep_result=cache is not None)
        reading.start(setup, worker)
        worker = None  # the reading's now
        return reading
    except Exception:  # noqa: BLE001 - reading in parallel is only ever a shortcut: else one process
        return None
    finally:
        if worker is not None:
            worker.close()


def _warm(cache: Any, candidates: int) -> bool:
    """Whether the pack holds so many entries that fewer than ``MIN_ENTRIES`` of the ``candidates`` can be
    left to parse: a warm re-run, planned without a look at any entry (``_jobs`` would form every entry's
    ``Source`` for nothing: ~70 ms at 1,040 entries)."""
    return hasattr(cache, "packed_count") and cache.packed_count() > candidates - MIN_ENTRIES


def _jobs(folder: Path, entries: list, refused: list, installed: dict[str, Any], division: Any,
          cache: Any) -> list[tuple[int, Any, Any, Any]]:
    """``(index, entry, adapter, source)`` of every entry whose file will be parsed (so not refused, not stopped
    before reading, and with the cache: not probably served by it), in manifest order."""
    from opvangkern.dataset.load import source_of

    jobs = []
    for index, (entry, verdict) in enumerate(zip(entries, refused)):
        if verdict is not None:
            continue
        found = source_of(folder, entry, installed, division)
        if isinstance(found, list):
            continue
        jobs.append((index, entry, *found))
    if cache is not None and jobs:
        if not hasattr(cache, "likely_served") or not hasattr(cache, "source_key") or \
                not hasattr(cache, "packed_count"):
            return []
        if cache.packed_count() > len(jobs) - MIN_ENTRIES:
            return []  # a warm re-run: its keys are not worth forming twice (they are formed as it reads)
        keys = [cache.source_key(adapter, source) for _, _, adapter, source in jobs]
        served = cache.likely_served(keys)
        jobs = [job for job, hit in zip(jobs, served) if not hit]
    return jobs


def _adapter_names(installed: dict[str, Any]) -> list[tuple[str, str, str]]:
    return sorted((name, type(a).__module__, type(a).__qualname__) for name, a in installed.items())


def _setup(folder: Path, installed: dict[str, Any], mapping: Any, keep_result: bool) -> dict[str, Any] | None:
    """What the worker needs, as plain data (``None`` when the division's registry is not one it can rebuild)."""
    import opvangkern
    from opvangkern.areas.history import Divisions

    registry = mapping.registry
    if registry is Divisions.shipped():
        own = False
    elif Divisions.for_dataset(folder).names == registry.names:
        own = True  # the dataset's own indeling/, read again by the worker (and compared: ``_serve``)
    else:
        return None
    return {"package": opvangkern.__file__, "folder": str(folder), "own": own,
            "division": mapping.info.name, "areas": list(mapping.reading.areas),
            "adapters": _adapter_names(installed), "keep_result": keep_result}


def spawn_early(entries: int, plugin_manager: Any, cache: Any) -> Worker | None:
    """A worker started as soon as the manifest's text is read, before it is parsed, so that its interpreter
    and imports overlap this process's work before the files (``load_dataset``); only without the cache
    (with it, whether there is anything to parse is known only once the files are hashed: ``start_reading``
    starts one then). ``entries``: the ``[[bron]]`` headers in the text; a count that the parse does not
    bear out (a header in a comment, an inline table) only starts a worker for nothing, or none (then
    ``start_reading`` starts one). ``None`` when the dataset will be read in one process anyway.
    The worker the command started ahead (``spawn_ahead``) is taken first: a worker holds nothing of a
    dataset before its setup, so it serves this load as one started here would."""
    ahead = take_ahead()
    if cache is not None or plugin_manager is not None or entries < MIN_ENTRIES or not wanted():
        if ahead is not None:
            ahead.close()
        return None
    if ahead is not None:
        return ahead
    try:
        return Worker()
    except Exception:  # noqa: BLE001 - no worker: one process
        return None


_AHEAD: list[Worker] = []
"""The worker ``spawn_ahead`` started, until ``spawn_early`` takes it (at most one)."""


def spawn_ahead(entries: int) -> None:
    """A worker started by the command line before its own imports and argument parsing (issue 16, tenth
    session), for the dataset whose manifest counts ``entries`` ``[[bron]]`` headers and will be read without
    the cache: its interpreter and imports (~0.2 s) then overlap this process's imports (pyarrow, click,
    opvangkern: ~0.1 s) too, so it reads its first file that much sooner. The first ``load_dataset`` takes it
    (``spawn_early``) or stops it; one nobody takes is stopped when this process ends (``Worker``). The same
    conditions as ``spawn_early``'s (enough entries, a free CPU, ``OPVANGKERN_PROCESSEN``)."""
    if _AHEAD or entries < MIN_ENTRIES or not wanted():
        return
    try:
        _AHEAD.append(Worker())
    except Exception:  # noqa: BLE001 - no worker ahead: load_dataset starts its own, or reads in one process
        pass


def take_ahead() -> Worker | None:
    """The worker ``spawn_ahead`` started, handed over once (``None``: none)."""
    return _AHEAD.pop() if _AHEAD else None


class Worker:
    """A worker process and its two pipes. It is killed when it is no longer needed (``close``), or when
    this handle is dropped unused."""

    def __init__(self) -> None:
        import pickle
        import subprocess
        import weakref

        import opvangkern

        from_main, to_worker = os.pipe()
        from_worker, to_main = os.pipe()
        _widen(from_worker)  # a chunk's outcomes written at once: the worker goes on while this process reads
        try:
            self.process = subprocess.Popen(
                worker_command(from_main, to_main), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, pass_fds=(from_main, to_main), close_fds=True)
        except BaseException:
            os.close(to_worker)
            os.close(from_worker)
            raise
        finally:
            os.close(from_main)
            os.close(to_main)
        self.send = os.fdopen(to_worker, "wb")
        self.receive = os.fdopen(from_worker, "rb")
        self._finalizer = weakref.finalize(self, _stop, self.process, self.send, self.receive)
        # the first message: where to import opvangkern from (then it imports what reading needs)
        pickle.dump({"sys_path": list(sys.path), "package": opvangkern.__file__}, self.send,
                    protocol=pickle.HIGHEST_PROTOCOL)
        self.send.flush()

    def close(self) -> None:
        self._finalizer()


PIPE_BYTES = 1 << 20
"""What the pipe of the outcomes holds (Linux: ``F_SETPIPE_SZ``; an unprivileged process may ask for up to
``/proc/sys/fs/pipe-max-size``, 1 MiB by default). A chunk's outcomes are ~0.45 MB (8 files of ~400 rows):
with the default 64 KiB the worker's write waited for this process's reading thread to empty the pipe seven
times, each time until it got the interpreter lock from this process's reading of the files (up to 5 ms)."""


def _widen(fd: int) -> None:
    """The pipe ``fd`` enlarged to ``PIPE_BYTES`` where the system allows it (else it stays as it is)."""
    try:
        import fcntl

        fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), PIPE_BYTES)
    except (ImportError, OSError, ValueError):
        pass


def _stop(process: Any, send: Any, receive: Any) -> None:
    if process.poll() is None:
        process.kill()
    for handle in (send, receive):
        try:
            handle.close()
        except OSError:
            pass
    process.wait()


class Reading:
    """The source entries of one ``_read_files`` call being read by this process and a worker."""

    def __init__(self, jobs: list[tuple[int, Any, Any, Any]], installed: dict[str, Any], division: Any,
                 keep_result: bool) -> None:
        import threading

        self.jobs = jobs
        self.installed, self.division, self.keep_result = installed, division, keep_result
        self.lock = threading.Lock()
        self.front, self.back = 0, len(jobs)  # jobs[front:back] are not taken yet
        self.pending: list[tuple[int, int]] = []  # chunks (start, stop) sent to the worker, not answered
        self.ready = False
        self.started = threading.Event()  # set once the worker holds its first chunks, or failed
        self.outcomes: dict[int, Any] = {}  # manifest index → SourceOutcome
        self.done = 0  # jobs[:done] have their outcome (``_computed_upto``)
        self.worker: Worker | None = None
        self.thread: Any = None
        self.worker_chunks = 0
        """Chunks the worker computed (for the tests and the benchmarks)."""

    # --- this process ---------------------------------------------------------------------

    def start(self, setup: dict[str, Any], worker: Worker | None = None) -> None:
        """Hand the worker (a new one unless ``worker``) the setup; the thread that talks to it starts."""
        import threading

        self.worker = worker if worker is not None else Worker()
        self.send, self.receive = self.worker.send, self.worker.receive
        self.thread = threading.Thread(target=self._serve, args=(setup,), name="opvangkern-lezer", daemon=True)
        self.thread.start()

    def results(self, advance: Any = None) -> dict[int, Any]:
        """Compute chunks from the back until this process meets the worker; wait for the worker's last
        chunks; stop it. Index → outcome of every entry computed (any other is left to the caller).
        ``advance(upto)``: called in this thread after each chunk, with the manifest index before which every
        entry is computed (the progress bar goes on in manifest order while the files are read)."""
        from opvangkern.dataset.load import compute_source

        try:
            if WAIT_FOR_WORKER:
                self.started.wait()
            if not SHARE_HERE:
                self.thread.join()
            while True:
                with self.lock:
                    if self.back <= self.front:
                        break
                    start = self.back - _size(self.back - self.front)
                    stop, self.back = self.back, start
                try:
                    for index, entry, adapter, source in self.jobs[start:stop]:
                        self.outcomes[index] = compute_source(adapter, source, entry, self.division,
                                                              _read_of(adapter, source), keep_result=self.keep_result)
                except Exception:  # noqa: BLE001 - left to load_dataset, which reads it as it would have
                    break
                if advance is not None:
                    advance(self._computed_upto())
            with self.lock:
                waiting = bool(self.pending) and self.ready
            if waiting:
                self.thread.join()
        finally:
            self.close()
        return self.outcomes

    def _computed_upto(self) -> int:
        """The manifest index before which every job has its outcome."""
        while self.done < len(self.jobs) and self.jobs[self.done][0] in self.outcomes:
            self.done += 1
        return self.jobs[self.done][0] if self.done < len(self.jobs) else self.jobs[-1][0] + 1

    def close(self) -> None:
        """Stop the worker (it holds no work by now): the thread then ends too."""
        if self.worker is not None:
            self.worker.close()
        if self.thread is not None:
            self.thread.join()

    # --- the thread that talks to the worker ----------------------------------------------

    def _serve(self, setup: dict[str, Any]) -> None:
        import pickle

        try:
            pickle.dump(setup, self.send, protocol=pickle.HIGHEST_PROTOCOL)
            self.send.flush()
            answer = pickle.load(self.receive)
            if answer != ("ready", None, None):
                return
            with self.lock:
                self.ready = True
            while True:
                chunks = []
                with self.lock:
                    while len(self.pending) < AHEAD and self.front < self.back:
                        chunk = (self.front, self.front + _size(self.back - self.front))
                        self.front = chunk[1]
                        self.pending.append(chunk)
                        chunks.append(chunk)
                    if not self.pending:
                        return
                for start, stop in chunks:
                    pickle.dump([(index, entry) for index, entry, _, _ in self.jobs[start:stop]], self.send,
                                protocol=pickle.HIGHEST_PROTOCOL)
                self.send.flush()
                self.started.set()
                kind, outcomes, streams = pickle.load(self.receive)
                if kind != "ok":
                    return
                stream, points_stream = streams
                outcomes = unpack_tables(unpack_tables(outcomes, points_stream, "points"), stream)
                start, stop = self.pending[0]
                wanted_indices = [index for index, _, _, _ in self.jobs[start:stop]]
                if [index for index, _ in outcomes] != wanted_indices:
                    return
                for index, outcome in outcomes:
                    self.outcomes[index] = outcome
                with self.lock:
                    self.pending.pop(0)
                    self.worker_chunks += 1
        except Exception:  # noqa: BLE001 - a worker that dies or sends nonsense: its chunks are read here
            return
        finally:
            with self.lock:
                self.pending.clear()  # lost: load_dataset reads them itself
            self.started.set()


# --- the outcomes' tables as one Arrow IPC stream per chunk -------------------------------------------------

class _InStream:
    """Where an outcome's ``table`` (or ``points``) was: its ``count`` record batches, next in the chunk's stream
    of those tables."""

    __slots__ = ("count",)

    def __init__(self, count: int) -> None:
        self.count = count

    def __getstate__(self) -> int:
        return self.count

    def __setstate__(self, count: int) -> None:
        self.count = count


def _streamable(table: Any, schema: Any) -> bool:
    """Whether ``table`` comes back from its record batches as it is: rows, the stream's schema (metadata
    included) and the same chunks in every column, none of them empty (``Table.to_batches`` would cut them
    otherwise, and drops an empty chunk: an empty table keeps its chunks, pickled, since the pack stores a
    table without chunks differently)."""
    import pyarrow as pa

    if not isinstance(table, pa.Table) or not table.num_rows or not table.schema.equals(schema, check_metadata=True):
        return False
    layouts = {tuple(len(chunk) for chunk in column.chunks) for column in table.columns}
    return len(layouts) == 1 and 0 not in next(iter(layouts))


def pack_tables(outcomes: list[tuple[int, Any]], field: str = "table") -> tuple[list[tuple[int, Any]], bytes | None]:
    """The chunk's outcomes with their ``table``s (``field``: that attribute's tables, ``points`` for the tvs
    line's quota points) taken out into one Arrow IPC stream (its bytes; ``None`` when none was): writing and
    reading a stream costs ~0.2 and ~0.01 ms a file against ~0.5 and ~0.3 ms to pickle and unpickle the table
    (a TVS file's 684 quota points pickled: ~70 kB and ~0.6 ms, ~0.4 ms back). A table the stream cannot give
    back as it is (``_streamable``; ``None``) stays in its outcome, pickled. The outcomes themselves are left
    as they are (copies go out)."""
    import copy

    import pyarrow as pa
    import pyarrow.ipc

    tables = [getattr(outcome, field) for _, outcome in outcomes]
    schema = next((t.schema for t in tables if isinstance(t, pa.Table)), None)
    if schema is None:
        return outcomes, None
    sink = pa.BufferOutputStream()
    packed = []
    with pa.ipc.new_stream(sink, schema) as writer:
        for (index, outcome), table in zip(outcomes, tables):
            batches = table.to_batches() if _streamable(table, schema) else None
            if batches is not None and len(batches) == table.column(0).num_chunks:
                for batch in batches:
                    writer.write_batch(batch)
                outcome = copy.copy(outcome)
                setattr(outcome, field, _InStream(len(batches)))
            packed.append((index, outcome))
    return packed, sink.getvalue().to_pybytes()


def unpack_tables(outcomes: list[tuple[int, Any]], stream: bytes | None,
                  field: str = "table") -> list[tuple[int, Any]]:
    """``pack_tables`` undone: every outcome's ``table`` (``field``) back in its place (``ValueError`` when the
    stream does not hold what the outcomes say)."""
    if stream is None:
        if any(isinstance(getattr(outcome, field), _InStream) for _, outcome in outcomes):
            raise ValueError("tables without their stream")
        return outcomes
    import pyarrow as pa
    import pyarrow.ipc

    reader = pa.ipc.open_stream(pa.py_buffer(stream))
    schema, batches = reader.schema, list(reader)
    at = 0
    for _, outcome in outcomes:
        held = getattr(outcome, field)
        if isinstance(held, _InStream):
            count = held.count
            if at + count > len(batches):
                raise ValueError("a stream too short")
            setattr(outcome, field, pa.Table.from_batches(batches[at:at + count], schema=schema))
            at += count
    if at != len(batches):
        raise ValueError("a stream too long")
    return outcomes


def _size(left: int) -> int:
    """The next chunk's size when ``left`` entries are not taken yet (at least one)."""
    return max(1, min(CHUNK, left // 4))


def _read_of(adapter: Any, source: Any) -> Any:
    return lambda: adapter.read(source)


# --- the worker ---------------------------------------------------------------------------------

_BOOT = ("import os, pickle, sys\n"
         "receive, send = os.fdopen(int(sys.argv[1]), 'rb'), os.fdopen(int(sys.argv[2]), 'wb')\n"
         "first = pickle.load(receive)\n"
         "sys.path[:] = first['sys_path']\n"
         "from opvangkern.dataset.parallel import serve\n"
         "serve(receive, send, first)\n")


def worker_command(receive_fd: int, send_fd: int) -> list[str]:
    """The worker's command line: a fresh interpreter of the same Python."""
    return [sys.executable, "-c", _BOOT, str(receive_fd), str(send_fd)]


def serve(receive: Any, send: Any, first: dict[str, Any]) -> None:
    """The worker's loop: import what reading needs, wait for the setup, rebuild the division and the plugins,
    say ``ready``, then compute each chunk of entries sent until the pipe closes. Anything that goes wrong
    is an ``error`` answer (and the end)."""
    import gc
    import pickle

    def answer(kind: str, value: Any) -> None:
        pickle.dump((kind, value, None), send, protocol=pickle.HIGHEST_PROTOCOL)
        send.flush()

    try:
        # A one-shot process, as the command's (opvangkern.cli.main): the collector every 100,000
        # allocations, and pyarrow.compute imported without its parameter documentation.
        gc.set_threshold(100_000, 10, 10)
        _prepare_as_the_command()
        _preload()
    except Exception:  # noqa: BLE001 - only a head start: whatever failed fails again below, and is said
        pass
    try:
        setup = pickle.load(receive)
    except EOFError:
        return  # not needed after all
    try:
        division, installed = _rebuild({**first, **setup})
    except Exception as exc:  # noqa: BLE001 - said to the main process, which then reads everything itself
        answer("error", repr(exc))
        return
    answer("ready", None)
    from opvangkern.dataset.load import compute_source, source_of

    gc.freeze()  # a one-shot process: its start out of the collector's reach, as the command's (issue 16)

    folder = Path(setup["folder"])
    while True:
        try:
            chunk = pickle.load(receive)
        except EOFError:
            return
        try:
            outcomes = []
            for index, entry in chunk:
                found = source_of(folder, entry, installed, division)
                if isinstance(found, list):
                    raise RuntimeError(f"entry {index} cannot be read here")
                adapter, source = found
                outcomes.append((index, compute_source(adapter, source, entry, division, _read_of(adapter, source),
                                                       keep_result=setup["keep_result"])))
            outcomes, stream = pack_tables(outcomes)
            outcomes, points_stream = pack_tables(outcomes, "points")
            data = pickle.dumps(("ok", outcomes, (stream, points_stream)), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # noqa: BLE001 - as above
            answer("error", repr(exc))
            return
        send.write(data)
        send.flush()


def _prepare_as_the_command() -> None:
    """``opvangkern.cli.startup.prepare_process`` in this worker, its module run from its file without the
    package ``opvangkern.cli`` around it (click and the command's Dutch texts: ~0.07-0.12 s of the worker's
    start, which this process waits for; the worker never parses a command line). Already imported: that one."""
    import importlib.util

    name = "opvangkern.cli.startup"
    module = sys.modules.get(name)
    if module is None:
        import opvangkern

        spec = importlib.util.spec_from_file_location(name, Path(opvangkern.__file__).parent / "cli" / "startup.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    module.prepare_process()


def _preload() -> None:
    """What reading a file imports, imported while this worker waits for its setup: the modules, the
    shipped divisions and the default plugins (nothing of the dataset)."""
    import importlib

    for name in ("pyarrow", "pyarrow.compute", "opvangkern.dataset.load", "opvangkern.validate",
                 "opvangkern.areas.history", "opvangkern.sources.manager", "opvangkern.sources.kit",
                 "opvangkern.reading.table", "opvangkern.reading.builder", "opvangkern.reading.fastscan"):
        importlib.import_module(name)
    from opvangkern.areas.history import Divisions
    from opvangkern.sources.manager import adapters, plugin_manager

    Divisions.shipped()
    adapters(plugin_manager())


def _rebuild(setup: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    """The reading division and the default plugins, as the main process has them (else ``RuntimeError``)."""
    import opvangkern
    from opvangkern.areas.history import Divisions
    from opvangkern.sources.manager import adapters, plugin_manager

    if os.path.realpath(opvangkern.__file__) != os.path.realpath(setup["package"]):
        raise RuntimeError("another opvangkern")
    registry = Divisions.for_dataset(setup["folder"]) if setup["own"] else Divisions.shipped()
    division = registry.mapping(setup["division"]).reading
    if list(division.areas) != setup["areas"]:
        raise RuntimeError("another division")
    installed = adapters(plugin_manager())
    if _adapter_names(installed) != setup["adapters"]:
        raise RuntimeError("other plugins")
    return division, installed
