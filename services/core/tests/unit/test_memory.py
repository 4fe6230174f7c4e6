"""An idle process returns its free memory; a busy one keeps it (services/core/memory.py)."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from services.core import memory
from services.core.memory import IdleRelease, release_idle_memory, when_idle


class FakeCpu:
    def __init__(self) -> None:
        self.seconds = 100.0

    def __call__(self) -> float:
        return self.seconds


def test_a_window_under_a_tenth_of_a_core_releases_and_a_busier_one_does_not() -> None:
    cpu, released = FakeCpu(), []
    idle = IdleRelease(cpu, lambda: released.append(cpu.seconds), window_seconds=5)

    cpu.seconds += 0.49  # 9.8 % of the window: consumers polling, a relay waking
    assert idle.tick() is True
    cpu.seconds += 0.5  # a tenth of a core: serving requests
    assert idle.tick() is False
    cpu.seconds += 3.0
    assert idle.tick() is False
    cpu.seconds += 0.0
    assert idle.tick() is True
    assert released == [100.49, 103.99]


def test_each_window_is_measured_from_the_end_of_the_last() -> None:
    """A busy window does not make the next quiet one look busy."""
    cpu, released = FakeCpu(), []
    idle = IdleRelease(cpu, lambda: released.append(1), window_seconds=5)
    cpu.seconds += 4.0
    idle.tick()
    cpu.seconds += 0.1
    assert idle.tick() is True


class Component:
    def __init__(self, fails: bool = False) -> None:
        self.released, self.fails = 0, fails

    def release_idle_memory(self) -> None:
        self.released += 1
        if self.fails:
            raise RuntimeError("cannot let go")


def test_every_living_component_lets_go_even_when_another_fails() -> None:
    failing, kept = Component(fails=True), Component()
    when_idle(failing)
    when_idle(kept)
    release_idle_memory()
    release_idle_memory()
    assert (failing.released, kept.released) == (2, 2)


def test_a_component_the_process_dropped_is_not_kept_alive_by_the_registry() -> None:
    component = Component()
    when_idle(component)
    count = len(memory._idle_releasers)
    del component
    assert len(memory._idle_releasers) == count - 1


CHILD = textwrap.dedent("""
    import sys
    from services.core.memory import release_free_memory

    def resident_kib():
        for line in open("/proc/self/status"):
            if line.startswith("VmRSS:"):
                return int(line.split()[1])

    # 150 MB of 1 kB buffers: above pymalloc's 512 bytes, so malloc's; keep the last one so the heap's
    # top stays live and malloc cannot give the rest back on its own.
    blocks = [bytearray(1024) for _ in range(150_000)]
    pinned = blocks[-1]
    del blocks
    before = resident_kib()
    released = release_free_memory()
    print(before, resident_kib(), released)
""")


@pytest.mark.skipif(memory._glibc() is None, reason="malloc_trim is glibc's")
def test_released_memory_leaves_the_process() -> None:
    """A real process on this machine's glibc: what was freed but pinned under a live block goes back."""
    answer = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, check=True)
    before, after, released = answer.stdout.split()
    assert released == "True"
    assert int(before) - int(after) > 100_000, answer.stdout  # kiB: most of the 150 MB freed
