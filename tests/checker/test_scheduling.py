"""The process pool's work split: every file exactly once, biggest files first, bounded chunks."""

from __future__ import annotations

import os
from pathlib import Path

from checker.engine import CHUNK_BYTES, CHUNK_SIZE, _balanced_chunks, _Job
from checker.model import Settings


def _job(name: str, size: int) -> _Job:
    stat = os.stat_result((0o100644, 0, 0, 1, 0, 0, size, 0, 0, 0))
    return _Job(path=Path(name), rel=name, settings=Settings(), settings_hash="h", stat=stat)


def test_every_file_once_largest_first_and_chunks_bounded() -> None:
    sizes = [10, 500_000, 3_000, 70_000, 1, 64_000, 200] + [100] * 40
    jobs = [_job(f"f{i}.py", size) for i, size in enumerate(sizes)]
    chunks = _balanced_chunks(jobs)
    flat = [job.rel for chunk in chunks for job in chunk]
    assert sorted(flat) == sorted(job.rel for job in jobs)
    assert [job.stat.st_size for chunk in chunks for job in chunk] == sorted(sizes, reverse=True)
    assert chunks[0][0].stat.st_size == 500_000 and len(chunks[0]) == 1  # the biggest file is a task of its own
    for chunk in chunks:
        assert len(chunk) <= CHUNK_SIZE
        assert sum(job.stat.st_size for job in chunk[:-1]) < CHUNK_BYTES  # only the last file may cross the bound


def test_files_without_stat_are_still_scheduled() -> None:
    jobs = [_Job(path=Path("a.py"), rel="a.py", settings=Settings(), settings_hash="h", stat=None), _job("b.py", 5)]
    assert sorted(job.rel for chunk in _balanced_chunks(jobs) for job in chunk) == ["a.py", "b.py"]
