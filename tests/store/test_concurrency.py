"""Two processes saving into one deal at once: every save gets its own number, none is lost."""

import multiprocessing

from obc_calc.store import Library
from tests.helpers import make_deal

PROCESSES, SAVES = 2, 20


def _save_many(url: str, author: str, start) -> None:
    deal = make_deal(name="Shared deal")
    with Library(url) as library:
        workspace = library.workspace()
        start.wait(60)  # every process opened the library: they save at the same moment
        for n in range(SAVES):
            workspace.save(deal, note=str(n), author=author)


def test_two_processes_saving_at_once(library_url):
    Library(library_url).close()  # the schema made once, before the race
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(PROCESSES)
    workers = [context.Process(target=_save_many, args=(library_url, f"p{i}", start))
               for i in range(PROCESSES)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    assert [worker.exitcode for worker in workers] == [0] * PROCESSES
    with Library(library_url) as library:
        history = library.workspace().history("Shared deal")
    assert [v.version for v in history] == list(range(1, PROCESSES * SAVES + 1))
    for i in range(PROCESSES):  # each process's saves all there, in its own order
        assert [v.note for v in history if v.author == f"p{i}"] == [str(n) for n in range(SAVES)]


def _open_and_save(url: str, name: str, start) -> None:
    start.wait(60)  # every process ready: they open the empty database at the same moment
    with Library(url) as library:
        library.workspace().save(make_deal(name=name))


def test_processes_creating_the_library_and_a_deal_at_once(library_url):
    """Replicas starting together on an empty database: the schema is made once, the deal once."""
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(4)
    workers = [context.Process(target=_open_and_save, args=(library_url, "New deal", start))
               for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    assert [worker.exitcode for worker in workers] == [0] * 4
    with Library(library_url) as library:
        assert [v.version for v in library.workspace().history("New deal")] == [1, 2, 3, 4]
