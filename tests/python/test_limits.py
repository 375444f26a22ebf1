"""Long computations: a time limit (TimeoutError, nothing computed) and Ctrl-C (KeyboardInterrupt)
stop them, and the module keeps working afterwards. A campaign of 10^7 trials stands for a long
computation: it would run for hours."""
import os
import signal
import threading
import time

import pytest

import rmdp

LONG = dict(claim="robust-pdl-upper", trials=10 ** 7)


@pytest.fixture
def limit():
    yield rmdp.set_time_limit
    rmdp.set_time_limit(None)


def still_works():
    assert rmdp.Mdp(P=[[[1]]], cost=[[1]], gamma="1/2").solve().V == [2]


def test_time_limit(limit):
    limit(0.3)
    t = time.monotonic()
    with pytest.raises(TimeoutError, match="time limit: stopped after 0.3 s"):
        rmdp.check(**LONG)
    assert time.monotonic() - t < 30
    limit(None)
    still_works()


def test_ctrl_c_interrupts(limit):
    limit(120)  # a safety net: the test must not hang if the interrupt were lost
    timer = threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    t = time.monotonic()
    try:
        with pytest.raises(KeyboardInterrupt):
            rmdp.check(**LONG)
    finally:
        timer.cancel()
    assert time.monotonic() - t < 30
    still_works()


def test_bad_limits():
    with pytest.raises(ValueError):
        rmdp.set_time_limit(-1)
    with pytest.raises(TypeError):
        rmdp.set_time_limit("1s")
