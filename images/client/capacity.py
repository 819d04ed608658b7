"""The capacity search: how many slow clients a stack takes before it stops answering a cheap request in time.

Slow clients (each a download paced at --read-rate, held open) are added in steps: 1, 2, 4, ... up to the cap, then
bisected between the last count that held and the first that did not. Each step keeps the clients already open (a
step costs about a second, not the server's timeout); going down closes the newest. After each step's clients are in,
one probe (a GET of the probe path) must be answered within the bound with a status below 500: the step held; a probe
that is late, refused or answered 5xx stalls it (a health check that misses once is a miss).

Lines on stdout: {"type": "step", ...} per step and one {"type": "capacity", ...} at the end.
"""
import threading
import time


def probe_once(connect_request, read_head, path, wait_s):
    """One probe: its status, how long its headers took (or how long it waited for them), and any failure."""
    sent = time.monotonic()
    record = {"status": None, "waitMs": None, "answered": False, "error": None}
    sock = None
    try:
        sock = connect_request(path, wait_s)
        head, _ = read_head(sock, sent + wait_s)
        record["status"] = head[0] if head else None
        record["answered"] = head is not None
        if head is None:
            record["error"] = "closed before its headers"
    except TimeoutError:
        record["error"] = "no headers before the probe gave up"
    except Exception as error:  # a refused or reset probe is a measurement
        record["error"] = f"{type(error).__name__}: {error}"
    finally:
        if sock:
            sock.close()
    record["waitMs"] = round((time.monotonic() - sent) * 1000, 1)
    return record


def probe_held(record, within_ms):
    return record["answered"] and record["status"] is not None and record["status"] < 500 and record["waitMs"] <= within_ms


class SlowClient:
    """One download held open at the reader's pace, in a thread of its own, until the search closes it."""

    def __init__(self, download):
        self.stop = threading.Event()
        self.headers = threading.Event()
        self.result = None
        self.thread = threading.Thread(target=self._run, args=(download,), daemon=True)
        self.thread.start()

    def _run(self, download):
        self.result = download(self)

    @property
    def open(self):
        return self.thread.is_alive()


class Search:
    def __init__(self, args, start, download, connect_request, read_head, emit):
        self.args = args
        self.start = start
        self.download = download
        self.connect_request = connect_request
        self.read_head = read_head
        self.emit = emit
        self.clients = []
        self.steps = []
        self.within_ms = args.probe_within_ms
        # A probe later than its bound is waited for a while more, so the report says how long it really waited.
        self.wait_s = max(3 * self.within_ms, self.within_ms + 2000) / 1000
        self.last_probe = 0.0
        self.probe_path = None

    def now_ms(self):
        return round((time.monotonic() - self.start) * 1000, 1)

    def probe(self, path=None):
        # Once a second at most: a health check's pace.
        time.sleep(max(0.0, 1.0 - (time.monotonic() - self.last_probe)))
        self.last_probe = time.monotonic()
        record = probe_once(self.connect_request, self.read_head, path or self.probe_path, self.wait_s)
        record["path"] = path or self.probe_path
        return record

    def set_clients(self, count):
        added = []
        while len(self.clients) < count:
            client = SlowClient(self.download)
            self.clients.append(client)
            added.append(client)
        closing = self.clients[count:]
        del self.clients[count:]
        for client in closing:
            client.stop.set()
        for client in closing:
            client.thread.join(5)
        # New clients settle: each has its headers, or has waited long enough to be queued for a worker.
        settle_until = time.monotonic() + self.args.capacity_settle_ms / 1000
        for client in added:
            client.headers.wait(max(0.0, settle_until - time.monotonic()))
        if closing:
            # A worker freed by a closed client takes a moment to see it.
            time.sleep(0.3)

    def step(self, count):
        self.set_clients(count)
        probes = [self.probe()]
        held = probe_held(probes[0], self.within_ms)
        record = {
            "type": "step",
            "clients": count,
            "open": sum(1 for c in self.clients if c.open),
            "withHeaders": sum(1 for c in self.clients if c.headers.is_set()),
            "held": held,
            "probes": probes,
            "atMs": self.now_ms(),
        }
        self.steps.append(record)
        self.emit(record)
        return held

    def run(self):
        args = self.args
        cap = args.capacity_max
        # Before any slow client: the first probe path that answers in time with a status below 400 is the one; none,
        # and there is nothing to measure.
        tried = []
        for path in args.capacity_probe or ["/"]:
            record = self.probe(path)
            tried.append(record)
            if probe_held(record, self.within_ms) and record["status"] < 400:
                self.probe_path = path
                break
        else:
            return self.finish(cap, tried=tried)
        first = tried[-1]
        held, stalled = 0, None
        count = 1
        while True:
            if self.step(count):
                held = count
            else:
                stalled = count
            if stalled is None:
                if count >= cap:
                    break
                count = min(cap, count * 2)
            else:
                if stalled - held <= 1:
                    break
                count = (held + stalled) // 2
        return self.finish(cap, held=held, stalled=stalled, first=first)

    def finish(self, cap, held=0, stalled=None, first=None, tried=None):
        end_ms = self.now_ms()
        self.set_clients(0)
        stalled_step = next((s for s in self.steps if s["clients"] == stalled and not s["held"]), None)
        record = {
            "type": "capacity",
            "cap": cap,
            "held": held,
            "stalledAt": stalled,
            "probeWaitMs": max(p["waitMs"] for p in stalled_step["probes"]) if stalled_step else None,
            "probeWithinMs": self.within_ms,
            "probePath": self.probe_path,
            "idleProbe": first,
            # The probe paths tried before any slow client, where none answered in time below 400: nothing searched.
            "probeFailures": None if first else tried,
            "endMs": end_ms,
            "steps": self.steps,
        }
        self.emit(record)
        return record
