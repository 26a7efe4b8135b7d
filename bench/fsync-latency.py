#!/usr/bin/env python3
"""How long an fsync of a small append takes on this machine while its CPUs are idle, partly busy and all busy.

    bench/fsync-latency.py [DIRECTORY]   (default: the current directory; it writes an 8 MiB scratch file there)

A commit of SQLite's writer is such an append (about 36 KiB of log) and its fsync; a command's round trip waits for two.
On the 2-vCPU VM of these benchmarks the fsync takes ~0.3 ms while a vCPU idles, and a multiple of the kernel's 4-ms tick
once both are busy (bench/README.md §3, nineteenth session): the disk's completion then waits for a CPU. The writer thread
runs at nice -10 as Pitwall's does (when allowed).
"""
import multiprocessing
import os
import sys
import time

APPEND = 36 * 1024
SECONDS = 6


def spin(seconds):
    os.setpriority(os.PRIO_PROCESS, 0, 0)  # an ordinary process, as the thread pool's threads and the load client are
    end = time.monotonic() + seconds
    while time.monotonic() < end:  # no system call: the CPU stays busy
        pass


def measure(path):
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    data, offset, took = os.urandom(APPEND), 0, []
    end = time.monotonic() + SECONDS
    while time.monotonic() < end:
        os.pwrite(fd, data, offset)
        offset = (offset + APPEND) % (8 << 20)
        started = time.perf_counter()
        os.fsync(fd)
        took.append((time.perf_counter() - started) * 1000)
    os.close(fd)
    took.sort()
    n = len(took)
    return f"{n / SECONDS:6.0f} fsyncs/s, p50 {took[n // 2]:.2f} / p90 {took[int(n * .9)]:.2f} / p99 {took[int(n * .99)]:.2f} / max {took[-1]:.1f} ms"


def main():
    path = os.path.join(sys.argv[1] if len(sys.argv) > 1 else ".", "fsync-latency.scratch")
    try:
        os.setpriority(os.PRIO_PROCESS, 0, -10)
    except PermissionError:
        pass
    cpus = os.cpu_count() or 1
    try:
        for busy in sorted({0, cpus - 1, cpus}):
            spinners = [multiprocessing.Process(target=spin, args=(SECONDS + 1,)) for _ in range(busy)]
            for spinner in spinners:
                spinner.start()
            time.sleep(0.2)
            print(f"{busy} of {cpus} CPUs busy: {measure(path)}", flush=True)
            for spinner in spinners:
                spinner.join()
    finally:
        os.remove(path)


if __name__ == "__main__":
    main()
