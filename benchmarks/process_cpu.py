"""CPU seconds a process and all its children have used: what serving or storing cost, however
busy the machine was with other work."""

from __future__ import annotations


def tree_cpu(pid: int) -> float:
    """User and system CPU seconds of process `pid` and its descendants (those gone are not counted)."""
    import psutil

    root = psutil.Process(pid)
    total = 0.0
    for process in [root, *root.children(recursive=True)]:
        try:
            times = process.cpu_times()
            total += times.user + times.system
        except psutil.Error:
            continue
    return total
