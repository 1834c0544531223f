"""One participant of a cohort, speaking Streamlit's websocket protocol as the browser does (no browser).

A run is asked for with a BackMsg `rerun_script` carrying the page's script hash, the query string
the server last published, and the states of the widgets the participant changed; the server
answers with ForwardMsgs (the navigation with every page's hash, the deltas that draw the page,
the query string, and `script_finished` once the run is over). An interaction is timed from the
BackMsg sent to the `script_finished` that ends it: a run that reruns (st.rerun, st.switch_page)
ends early and another follows, so only a finish other than "early for rerun" counts.
Used by bench/cohort.py; not a benchmark on its own.
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

SHARE_SLIDER = "share_slider"  # ui/state.py SHARE_SLIDER: the performance share slider's key
RISK_SEED = "risk_seed"  # ui/state.py RISK_SEED: a new seed starts a new simulation
RERUN = ForwardMsg.FINISHED_EARLY_FOR_RERUN
RUN_TIMEOUT_SECONDS = 120


@dataclass
class Plan:
    """What every participant does: the pages in menu order and the think time between interactions."""

    address: str  # http://127.0.0.1:<port>
    pages: list[str]  # page titles in app.PAGES order
    think: tuple[float, float]  # seconds, drawn evenly between the two
    deadline: float  # time.monotonic() after which a participant finishes its round and leaves


@dataclass
class Record:
    """What a participant measured: seconds per interaction kind, and the exceptions the app showed."""

    times: dict[str, list[float]] = field(default_factory=dict)
    exceptions: list[str] = field(default_factory=list)

    def add(self, kind: str, seconds: float) -> None:
        self.times.setdefault(kind, []).append(seconds)


class Session:
    """A websocket session: sends reruns and reads what the server draws."""

    def __init__(self, plan: Plan, record: Record):
        self.plan, self.record = plan, record
        self.hashes: dict[str, str] = {}  # page title -> page script hash, from the navigation message
        self.paths: dict[str, str] = {}  # page script hash -> the page's path in the address
        self.page_hash, self.query = "", ""
        self.widgets: dict[str, tuple[str, str]] = {}  # element id -> (element type, label) of the last run
        self.finished = asyncio.Event()
        self.ws = None
        self.reader = None

    async def open(self) -> None:
        url = self.plan.address.replace("http://", "ws://") + "/_stcore/stream"
        self.ws = await websockets.connect(url, subprotocols=["streamlit"], max_size=None,
                                           open_timeout=60, ping_interval=None)
        self.reader = asyncio.create_task(self.read())

    async def close(self) -> None:
        await self.ws.close()
        await self.reader

    async def read(self) -> None:
        try:
            async for data in self.ws:
                message = ForwardMsg()
                message.ParseFromString(data)
                self.take(message)
        except websockets.ConnectionClosed:
            pass

    def take(self, message: ForwardMsg) -> None:
        kind = message.WhichOneof("type")
        if kind == "navigation":
            pages = message.navigation.app_pages
            self.hashes = {page.page_name: page.page_script_hash for page in pages}
            self.paths = {page.page_script_hash: page.url_pathname for page in pages}
            self.page_hash = message.navigation.page_script_hash
        elif kind == "page_info_changed":
            self.query = message.page_info_changed.query_string
        elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
            self.take_element(message.delta.new_element)
        elif kind == "script_finished" and message.script_finished != RERUN:
            self.finished.set()

    def take_element(self, element) -> None:
        kind = element.WhichOneof("type")
        if kind == "exception":
            self.record.exceptions.append(f"{element.exception.type}: {element.exception.message}")
            return
        body = getattr(element, kind)
        element_id = getattr(body, "id", "")
        if element_id:
            self.widgets[element_id] = (kind, getattr(body, "label", ""))

    def widget_id(self, key: str) -> str | None:
        return next((i for i in self.widgets if i.endswith("-" + key)), None)

    def button_id(self, label_start: str) -> str | None:
        return next((i for i, (kind, label) in self.widgets.items()
                     if kind == "button" and label.startswith(label_start)), None)

    async def rerun(self, kind: str, states: list[WidgetState] = (), page: str | None = None) -> None:
        """Ask for a run (of `page`, else the current page) and time it to its finish."""
        message = BackMsg()
        rerun = message.rerun_script
        rerun.query_string = self.query
        rerun.page_script_hash = self.hashes[page] if page else self.page_hash
        rerun.context_info.url = f"{self.plan.address}/{self.paths.get(rerun.page_script_hash, '')}"
        rerun.widget_states.widgets.extend(states)
        self.widgets.clear()
        self.finished.clear()
        start = time.perf_counter()
        await self.ws.send(message.SerializeToString())
        await asyncio.wait_for(self.finished.wait(), RUN_TIMEOUT_SECONDS)
        self.record.add(kind, time.perf_counter() - start)


def share_state(widget_id: str, percent: float) -> WidgetState:
    state = WidgetState(id=widget_id)
    state.double_array_value.data.append(percent)  # a slider sends its value as a list
    return state


def number_state(widget_id: str, value: float) -> WidgetState:
    return WidgetState(id=widget_id, double_value=value)  # number_input sends every number as a double


def click(widget_id: str) -> WidgetState:
    return WidgetState(id=widget_id, trigger_value=True)


async def participant(plan: Plan, record: Record, rng: random.Random) -> None:
    """Open the app, then go round every page until the deadline: on "Deal & split" change the share,
    on "Risk" start a simulation with a new seed (and press Run when the trials wait for it)."""
    await asyncio.sleep(rng.uniform(*plan.think))  # a cohort does not arrive in the same millisecond
    session = Session(plan, record)
    await session.open()
    try:
        await session.rerun("open the app")
        while await one_round(session, rng):
            pass
    finally:
        await session.close()


async def one_round(session: Session, rng: random.Random) -> bool:
    """Every page in turn, thinking before each interaction; False once the deadline has passed."""
    for title in session.plan.pages:
        if not await think(session.plan, rng):
            return False
        await session.rerun(f"page: {title}", page=title)
        if title == "Deal & split" and (slider := session.widget_id(SHARE_SLIDER)):
            if not await think(session.plan, rng):
                return False
            await session.rerun("change the share", [share_state(slider, rng.randrange(20, 121) / 2)])
        if title == "Risk" and (seed := session.widget_id(RISK_SEED)):
            if not await think(session.plan, rng):
                return False
            await session.rerun("simulate (new seed)", [number_state(seed, rng.randrange(1, 10**6))])
            if run := session.button_id("Run "):
                await session.rerun("press Run", [click(run)])
    return True


async def think(plan: Plan, rng: random.Random) -> bool:
    """Wait a think time; False when the deadline passed meanwhile (the participant stops)."""
    await asyncio.sleep(rng.uniform(*plan.think))
    return time.monotonic() < plan.deadline
