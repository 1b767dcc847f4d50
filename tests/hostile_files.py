"""Hostile inputs made at test time, and a fresh interpreter that measures what reading them cost.

Shared by tests/hardening/test_files.py and the bad-input catalogue (tests/test_bad_inputs.py):
.docx and .xlsx files built in memory, zip parts inflated into bombs, a deadline for code that
might hang, and ``measured`` (time and peak memory of code run in its own process).
"""

from __future__ import annotations

import io
import json
import signal
import subprocess
import sys
import zipfile
from contextlib import contextmanager

SECONDS = 10  # every hostile input fails within this
PEAK_MB = 500  # the issue: no input may take more than 500 MB


class TookTooLong(Exception):
    """A hostile input that was not refused in time."""


@contextmanager
def deadline(seconds: int = SECONDS):  # type: ignore[no-untyped-def]
    """Fail (instead of hanging the suite) when the block takes longer than ``seconds``."""

    def expired(signum, frame):  # type: ignore[no-untyped-def]
        raise TookTooLong(f"took more than {seconds} s")  # not an OSError: nothing catches it

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def measured(code: str, *, setup: str = "", memory_mb: int | None = None) -> dict:
    """Run ``code`` in a fresh interpreter; it prints a JSON result; add its wall time and peak
    resident memory in MB.

    The process runs under a 2 GB address-space guard, or, with ``memory_mb``, under a limit
    of that many MB on its data (heap and anonymous maps: a bigger allocation is a
    MemoryError). ``setup`` (imports) runs first, under the limit but outside the timing.
    """
    limit = (
        f"resource.setrlimit(resource.RLIMIT_DATA, ({memory_mb} << 20, {memory_mb} << 20))\n"
        if memory_mb
        else "resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))\n"
    )
    prologue = "import json, resource, time\n" + limit + setup + "\nstart = time.monotonic()\n"
    epilogue = (
        "\nresult['seconds'] = time.monotonic() - start\n"
        # VmHWM belongs to this program's memory map; ru_maxrss would keep the forking parent's.
        "status = open('/proc/self/status').read()\n"
        "result['peak_mb'] = int(status.split('VmHWM:')[1].split()[0]) / 1024\n"
        "print(json.dumps(result, ensure_ascii=True))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", prologue + code + epilogue],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def refused(call: str, error: str) -> str:
    """Code that runs ``call`` and records the error's class and message in ``result``."""
    return (
        "result = {}\n"
        "import importlib\n"
        "try:\n"
        f"    {call}\n"
        "    result['error'] = None\n"
        f"except {error} as exc:\n"
        "    result['error'] = type(exc).__name__\n"
        "    result['message'] = str(exc)\n"
        "except MemoryError:\n"
        "    result['error'] = 'MemoryError'\n"
    )


def within_limits(result: dict) -> None:
    print(f"seconds={result['seconds']:.2f} peak_mb={result['peak_mb']:.0f}")  # for the report
    assert result["seconds"] < SECONDS, result
    assert result["peak_mb"] < PEAK_MB, result


def docx_bytes(text: str) -> bytes:
    import docx

    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def rezip(
    data: bytes, replace: dict[str, bytes], inflate: tuple[str, str, int] | None = None
) -> bytes:
    """The zip ``data`` with some parts replaced; ``inflate`` = (part, marker, size) puts
    ``size`` bytes of blanks after ``marker`` in that part (XML still well formed: a zip bomb
    of about 1 MB per GB)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = replace.get(info.filename, source.read(info.filename))
            if inflate is None or info.filename != inflate[0]:
                archive.writestr(info.filename, content)
                continue
            head, marker, tail = content.partition(inflate[1].encode("utf-8"))
            with archive.open(info.filename, "w", force_zip64=True) as part:
                part.write(head + marker)
                chunk = b" " * (1 << 20)
                for _ in range(inflate[2] >> 20):
                    part.write(chunk)
                part.write(tail)
    return out.getvalue()


def xlsx_bytes(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
